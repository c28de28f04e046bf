import { z } from 'zod';
import { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelay, sleep } from './backoff.js';
import { LlmCallError, type LlmClient, type LlmMessage, LlmSetupError } from './client.js';
import { Limiter } from './limiter.js';

/** Counters of one run, shared by every call. */
export interface LlmStats {
  /** HTTP calls made, retries and repairs included. */
  calls: number;
  retries: number;
  /** Calls that re-asked after an answer failed the schema. */
  repairs: number;
  timeouts: number;
  inputTokens: number;
  outputTokens: number;
}

export interface LlmRunnerOptions {
  client: LlmClient;
  /** The most calls in flight at once. Default 8. */
  concurrency?: number;
  retry?: Partial<RetryPolicy>;
  /** Each HTTP call is aborted after this long and retried. Default 120 000 ms. */
  timeoutMs?: number;
  /** Re-asks after an answer that fails the schema. Default 1. */
  repairAttempts?: number;
  /** Stops everything (Ctrl-C). */
  signal?: AbortSignal;
  /** Replaces Math.random for the jitter (tests). */
  random?: () => number;
  /**
   * Called when no call can succeed (the server rejected the key with 401 or 403), so the
   * run stops instead of recording every row as failed.
   */
  onFatal?: (error: LlmSetupError) => void;
}

/** What one structured request needs. */
export interface StructuredRequest<S extends z.ZodType> {
  /** Names the step in errors and the schema name sent to the server. */
  name: string;
  schema: S;
  messages: LlmMessage[];
  model?: string;
  temperature?: number;
  maxOutputTokens?: number;
}

/** The answer did not follow the schema, even after the repair attempts. */
export class SchemaMismatchError extends Error {
  constructor(
    message: string,
    readonly lastAnswer: string,
  ) {
    super(message);
    this.name = 'SchemaMismatchError';
  }
}

/**
 * Runs structured calls against an {@link LlmClient} with the engineering a long job needs:
 * a bound on calls in flight, a timeout per call, retries with backoff on 429/5xx/timeouts
 * (a `Retry-After` is honoured), and a re-ask with the validation error when the answer
 * does not follow the schema. The slot is given back while waiting to retry.
 */
export class LlmRunner {
  readonly stats: LlmStats = { calls: 0, retries: 0, repairs: 0, timeouts: 0, inputTokens: 0, outputTokens: 0 };
  readonly client: LlmClient;
  private readonly limiter: Limiter;
  private readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly repairAttempts: number;
  private readonly signal: AbortSignal | undefined;
  private readonly random: () => number;
  private readonly onFatal: ((error: LlmSetupError) => void) | undefined;

  constructor(options: LlmRunnerOptions) {
    this.client = options.client;
    this.limiter = new Limiter(options.concurrency ?? 8);
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.repairAttempts = options.repairAttempts ?? 1;
    this.signal = options.signal;
    this.random = options.random ?? Math.random;
    this.onFatal = options.onFatal;
  }

  /** Asks for JSON that follows `schema` and returns it parsed and validated. */
  async structured<S extends z.ZodType>(request: StructuredRequest<S>): Promise<z.output<S>> {
    const jsonSchema = toWireSchema(request.schema);
    const messages = [...request.messages];
    for (let repair = 0; ; repair += 1) {
      const text = await this.callWithRetries({
        messages,
        jsonSchema: { name: schemaName(request.name), schema: jsonSchema },
        ...(request.model === undefined ? {} : { model: request.model }),
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
      });
      const problem = validate(text, request.schema);
      if (problem.ok) return problem.value;
      if (repair >= this.repairAttempts) {
        throw new SchemaMismatchError(`step "${request.name}": the answer did not follow the schema: ${problem.reason}`, text);
      }
      this.stats.repairs += 1;
      messages.push(
        { role: 'assistant', content: text },
        {
          role: 'user',
          content: `Your answer was not valid: ${problem.reason}\nAnswer again with only a JSON object that follows the schema exactly.`,
        },
      );
    }
  }

  private async callWithRetries(request: Parameters<LlmClient['complete']>[0]): Promise<string> {
    for (let attempt = 0; ; attempt += 1) {
      this.signal?.throwIfAborted();
      let failure: LlmCallError;
      try {
        return await this.limiter.run(() => this.callOnce(request));
      } catch (error) {
        if (!(error instanceof LlmCallError)) throw error;
        failure = error;
      }
      if (failure.status === 401 || failure.status === 403) {
        const fatal = new LlmSetupError(
          `${this.client.baseUrl} rejected the API key (HTTP ${failure.status}); check the key, or --api-key-env`,
          { cause: failure },
        );
        this.onFatal?.(fatal);
        throw fatal;
      }
      if (!failure.retryable || attempt >= this.policy.maxRetries) throw failure;
      this.stats.retries += 1;
      await sleep(retryDelay(attempt + 1, this.policy, failure.retryAfterMs, this.random), this.signal);
    }
  }

  private async callOnce(request: Parameters<LlmClient['complete']>[0]): Promise<string> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = this.signal ? AbortSignal.any([this.signal, timeout]) : timeout;
    this.stats.calls += 1;
    try {
      const response = await this.client.complete({ ...request, signal });
      this.stats.inputTokens += response.usage.inputTokens;
      this.stats.outputTokens += response.usage.outputTokens;
      return response.text;
    } catch (error) {
      if (timeout.aborted && !this.signal?.aborted) {
        this.stats.timeouts += 1;
        throw new LlmCallError(`no answer within ${this.timeoutMs} ms`, { retryable: true, cause: error });
      }
      if (this.signal?.aborted) throw this.signal.reason;
      if (error instanceof LlmCallError) throw error;
      throw new LlmCallError(error instanceof Error ? error.message : String(error), { retryable: false, cause: error });
    }
  }
}

const wireSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();

/** The JSON schema of a zod schema as servers expect it (no `$schema` key). Computed once per schema. */
export function toWireSchema(schema: z.ZodType): Record<string, unknown> {
  let wire = wireSchemas.get(schema);
  if (!wire) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
    wire = rest;
    wireSchemas.set(schema, wire);
  }
  return wire;
}

function schemaName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64) || 'response';
}

type Validation<T> = { ok: true; value: T } | { ok: false; reason: string };

function validate<S extends z.ZodType>(text: string, schema: S): Validation<z.output<S>> {
  let value: unknown;
  try {
    value = JSON.parse(stripFence(text));
  } catch (error) {
    return { ok: false, reason: `it is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 8).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  return { ok: false, reason: issues.join('; ') };
}

/** Some servers wrap JSON in a Markdown fence even in JSON mode. */
function stripFence(text: string): string {
  const match = /^\s*```(?:json)?\s*\n([\s\S]*?)\n\s*```\s*$/.exec(text);
  return match?.[1] ?? text;
}
