import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, jsonSchema, NoObjectGeneratedError, Output } from 'ai';
import { DEFAULT_API_KEY_ENV, DEFAULT_BASE_URL, DEFAULT_MODEL } from '../defaults.js';
import {
  isRetryableStatus,
  LlmCallError,
  type LlmClient,
  type LlmRequest,
  type LlmResponse,
  LlmSetupError,
  parseRetryAfter,
} from './client.js';

export interface OpenAICompatibleClientOptions {
  /** Default {@link DEFAULT_BASE_URL}. Any OpenAI-compatible server: OpenAI, vLLM, Ollama, ... */
  baseUrl?: string;
  /** Default {@link DEFAULT_MODEL}. */
  model?: string;
  /** The name of the environment variable that holds the key. Default {@link DEFAULT_API_KEY_ENV}. */
  apiKeyEnv?: string;
  /** False for servers that need no key (a local vLLM or Ollama). Default true. */
  requireApiKey?: boolean;
  /** Where environment variables are read from. Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Sent as `json_schema.strict`. Some servers reject strict schemas; default true. */
  strictJsonSchema?: boolean;
  /** Replaces global fetch (proxies, tests). */
  fetch?: typeof fetch;
}

/**
 * The default {@link LlmClient}: the AI SDK's OpenAI-compatible provider, with structured
 * outputs switched on so the JSON schema reaches the server as `response_format:
 * {type: "json_schema", ...}` (without the switch the provider silently drops it). The SDK's
 * own retries are off: the engine retries, with backoff that honours `Retry-After`.
 */
export function createOpenAICompatibleClient(options: OpenAICompatibleClientOptions = {}): LlmClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const model = options.model ?? DEFAULT_MODEL;
  const apiKeyEnv = options.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
  const env = options.env ?? process.env;
  const apiKey = env[apiKeyEnv];
  const requireApiKey = options.requireApiKey ?? true;
  if (requireApiKey && (apiKey === undefined || apiKey.trim() === '')) {
    throw new LlmSetupError(
      `no API key: the environment variable ${apiKeyEnv} is not set. Set it (export ${apiKeyEnv}=...), name another variable with --api-key-env, or pass --no-api-key for a local server that needs none`,
    );
  }
  try {
    new URL(baseUrl);
  } catch {
    throw new LlmSetupError(`the base URL "${baseUrl}" is not a URL; expected something like ${DEFAULT_BASE_URL}`);
  }
  const fetchImpl = options.fetch ?? fetch;
  const provider = createOpenAICompatible({
    name: 'agent-rollout',
    baseURL: baseUrl,
    ...(apiKey ? { apiKey } : {}),
    supportsStructuredOutputs: true,
    includeUsage: true,
    fetch: fetchImpl,
  });
  const strict = options.strictJsonSchema ?? true;
  // Building a chat model builds its response schemas: do it once per model id, not per call.
  const chatModels = new Map<string, ReturnType<typeof provider.chatModel>>();
  const chatModel = (id: string) => {
    let instance = chatModels.get(id);
    if (!instance) {
      instance = provider.chatModel(id);
      chatModels.set(id, instance);
    }
    return instance;
  };

  return {
    model,
    baseUrl,
    async complete(request: LlmRequest): Promise<LlmResponse> {
      const modelId = request.model ?? model;
      // The SDK wants system text in its own option (it warns about system messages in the list).
      const system = request.messages
        .filter((message) => message.role === 'system')
        .map((message) => message.content)
        .join('\n\n');
      const messages = request.messages.filter((message) => message.role !== 'system') as (
        | { role: 'user'; content: string }
        | { role: 'assistant'; content: string }
      )[];
      try {
        const common = {
          model: chatModel(modelId),
          ...(system ? { system } : {}),
          messages,
          maxRetries: 0,
          providerOptions: { agentRollout: { strictJsonSchema: strict } },
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
          ...(request.maxOutputTokens === undefined ? {} : { maxOutputTokens: request.maxOutputTokens }),
          ...(request.signal ? { abortSignal: request.signal } : {}),
        };
        if (request.jsonSchema) {
          // No validator here: the engine validates with zod and re-asks with the error.
          const output = Output.object({ schema: jsonSchema(request.jsonSchema.schema), name: request.jsonSchema.name });
          const result = await generateText({ ...common, output });
          return { text: result.text, usage: usageOf(result.usage), model: result.response.modelId || modelId };
        }
        const result = await generateText(common);
        return { text: result.text, usage: usageOf(result.usage), model: result.response.modelId || modelId };
      } catch (error) {
        // The answer was not JSON: hand its text back so the engine can re-ask with the reason.
        if (NoObjectGeneratedError.isInstance(error)) {
          return { text: error.text ?? '', usage: usageOf(error.usage), model: error.response?.modelId || modelId };
        }
        throw toCallError(error, request.signal);
      }
    },
    async preflight(signal?: AbortSignal): Promise<void> {
      let response: Response;
      try {
        response = await fetchImpl(`${baseUrl}/models`, {
          headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
          signal: signal ?? AbortSignal.timeout(15_000),
        });
        await response.body?.cancel();
      } catch (error) {
        const reason = error instanceof Error ? (describeCause(error) ?? error.message) : String(error);
        throw new LlmSetupError(`the model endpoint ${baseUrl} is unreachable (${reason}); check --base-url and your network`, {
          cause: error,
        });
      }
      if (response.status === 401 || response.status === 403) {
        throw new LlmSetupError(
          `the model endpoint ${baseUrl} rejected the API key from ${apiKeyEnv} (HTTP ${response.status}); check the key or --api-key-env`,
        );
      }
      // Any other answer (even 404 from a server without /models) proves the endpoint is there.
    },
  };
}

function usageOf(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined } | undefined): LlmResponse['usage'] {
  return { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
}

function describeCause(error: Error): string | undefined {
  const cause = error.cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return undefined;
}

function toCallError(error: unknown, signal: AbortSignal | undefined): LlmCallError {
  if (signal?.aborted) {
    const reason = signal.reason instanceof Error ? signal.reason.message : 'aborted';
    return new LlmCallError(`the call was aborted: ${reason}`, { retryable: isTimeout(signal.reason), cause: error });
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const retryAfterMs = parseRetryAfter(error.responseHeaders?.['retry-after']);
    // A 2xx whose body cannot be read (cut off, or a proxy's page) is transient too.
    const unreadableSuccess = status !== undefined && status >= 200 && status < 300;
    const retryable = status === undefined ? error.isRetryable : unreadableSuccess || isRetryableStatus(status);
    return new LlmCallError(status === undefined ? error.message : `HTTP ${status}: ${error.message}`, {
      ...(status === undefined ? {} : { status }),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      retryable,
      cause: error,
    });
  }
  // A body that is not the chat-completion shape (a proxy's error page, a cut-off response) is usually transient.
  const message = error instanceof Error ? error.message : String(error);
  return new LlmCallError(`the server's answer could not be read: ${message}`, { retryable: true, cause: error });
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}
