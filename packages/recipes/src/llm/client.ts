/** One message sent to a model. Recipes only send plain text. */
export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The JSON schema the answer must follow; sent to the server as `response_format`. */
export interface LlmJsonSchema {
  /** A short identifier (letters, digits, `_`, `-`), as OpenAI's `json_schema.name` requires. */
  name: string;
  schema: Record<string, unknown>;
}

/** One chat-completion call. */
export interface LlmRequest {
  messages: LlmMessage[];
  /** When set, the server is asked for JSON that follows this schema. */
  jsonSchema?: LlmJsonSchema;
  /** Overrides the client's default model for this call. */
  model?: string;
  temperature?: number;
  maxOutputTokens?: number;
  /** Aborts the call (the engine uses it for the per-call timeout). */
  signal?: AbortSignal;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface LlmResponse {
  /** The raw text of the answer (JSON text when a schema was asked for). */
  text: string;
  usage: LlmUsage;
  /** The model that answered. */
  model: string;
}

/**
 * The model behind a recipe. One `complete` is one HTTP call: retries, timeouts and
 * repair of invalid answers are the engine's job, so any implementation gets them.
 */
export interface LlmClient {
  /** The default model id, used in the recipe's config hash and summary. */
  readonly model: string;
  /** Where the client sends its calls, for messages. */
  readonly baseUrl: string;
  complete(request: LlmRequest): Promise<LlmResponse>;
  /**
   * Checks, before any row is sent, that the endpoint answers and accepts the key.
   * Throws an {@link LlmSetupError} that says what to fix.
   */
  preflight?(signal?: AbortSignal): Promise<void>;
}

/** A call failed at the HTTP level or did not finish. `retryable` says whether trying again may help. */
export class LlmCallError extends Error {
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** From a `Retry-After` header, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { status?: number; retryable: boolean; retryAfterMs?: number; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'LlmCallError';
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The model cannot be used at all (no key, endpoint unreachable, key rejected): the run stops before any row. */
export class LlmSetupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmSetupError';
  }
}

/**
 * Parses a `Retry-After` header: a number of seconds or an HTTP date. Returns milliseconds,
 * or undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Whether an HTTP status is worth retrying: 408, 409, 425, 429 and every 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}
