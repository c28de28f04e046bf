/** The brand every agent-rollout error carries; checked instead of `instanceof`, which fails when two copies of core are loaded. */
export const ERROR_BRAND: unique symbol = Symbol.for('agent-rollout.error') as never;

export type AgentRolloutErrorCode = 'parse' | 'config' | 'registry' | 'discovery' | 'sink' | 'aborted';

/** Base class of every error core throws on purpose. */
export class AgentRolloutError extends Error {
  readonly [ERROR_BRAND] = true;
  readonly code: AgentRolloutErrorCode;

  constructor(code: AgentRolloutErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AgentRolloutError';
    this.code = code;
  }
}

/**
 * Bad input in one file: what was expected, in which file, on which line (1-based) when a
 * line is to blame. The reader records it as the file's failure (or stops, when strict).
 */
export class AgentRolloutParseError extends AgentRolloutError {
  readonly file: string;
  readonly line: number | undefined;
  readonly reason: string;

  constructor(file: string, line: number | undefined, reason: string, options?: { cause?: unknown }) {
    super('parse', line === undefined ? `${file}: ${reason}` : `${file}:${line}: ${reason}`, options);
    this.name = 'AgentRolloutParseError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

/** True for any error thrown by any copy of core. */
export function isAgentRolloutError(value: unknown): value is AgentRolloutError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_BRAND] === true;
}

/** True for a parse error from any copy of core. */
export function isAgentRolloutParseError(value: unknown): value is AgentRolloutParseError {
  return isAgentRolloutError(value) && value.code === 'parse';
}

/** A readable message for anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
