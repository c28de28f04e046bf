/** The brand every agent-rollout error carries; checked instead of `instanceof`, which fails when two copies of core are loaded. */
export const ERROR_BRAND: unique symbol = Symbol.for('agent-rollout.error') as never;

/**
 * What kind of problem an {@link AgentRolloutError} reports: bad input in a file (`parse`), a
 * bad source or option (`config`), a registration conflict (`registry`), a package that
 * could not be loaded (`discovery`), an output that could not be written (`sink`), or a read
 * that was aborted (`aborted`).
 */
export type AgentRolloutErrorCode = 'parse' | 'config' | 'registry' | 'discovery' | 'sink' | 'aborted';

/** Base class of every error core throws on purpose. */
export class AgentRolloutError extends Error {
  readonly [ERROR_BRAND] = true;
  /** What kind of problem this is; lets callers react without parsing the message. */
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
  /** The file that holds the bad input. */
  readonly file: string;
  /** The 1-based line to blame, when one line is to blame. */
  readonly line: number | undefined;
  /** What was expected and what was found, without the file and line. */
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
