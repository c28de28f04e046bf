import type { RolloutDraft } from '../schema/row.js';

/** The brand that marks a format handler; checked instead of `instanceof`. */
export const HANDLER_BRAND: unique symbol = Symbol.for('agent-rollout.format-handler') as never;

/**
 * The version of the plugin contract this copy of core implements. A handler built against
 * another major contract version is refused at registration with a clear message.
 */
export const FORMAT_CONTRACT_VERSION = 1;

/** Where a format's sessions live by default, and which files are sessions. */
export interface FormatDefaults {
  /** Default root, may start with `~` (the user's home). Absent when the format has no usual place. */
  path?: string;
  /** Basename glob of the files to read, such as `*.jsonl`. */
  filePattern: string;
}

/** What a handler learns about the root before any file is parsed. */
export interface RootInfo {
  /** Absolute root directory of the read. */
  root: string;
  /** Relative paths (POSIX separators, sorted) of every file the manifest matched. */
  files: readonly string[];
  /** Aborted when the read is stopped; long scans should check it. */
  signal: AbortSignal;
  /** Records a warning in the run report. */
  warn(message: string, relativePath?: string): void;
}

/**
 * Per-read state built once by {@link FormatHandler.buildParseContext}: indexes, metadata
 * files, anything every file's parse needs. Handlers extend it with their own fields.
 */
export type ParseContext = object;

/** Everything {@link FormatHandler.parseFile} receives for one file. */
export interface ParseFileInput<Ctx extends ParseContext = ParseContext> {
  /** Absolute path of the file. */
  path: string;
  /** Path relative to the root, POSIX separators. */
  relativePath: string;
  /** Absolute root directory of the read. */
  root: string;
  /** Size in bytes when the manifest was built. */
  size: number;
  /** The context {@link FormatHandler.buildParseContext} returned. */
  context: Ctx | undefined;
  /** Aborted when the read is stopped; long parses should check it. */
  signal: AbortSignal;
  /** True when the read stops on the first problem: handlers then throw where they would warn about bad data. */
  strict: boolean;
  /** Records a warning about this file (a bad line, an odd record) in the run report. */
  warn(message: string, line?: number): void;
}

/** What a handler returns for one file. */
export interface ParseFileResult {
  /** The rows of this file, in a stable order. Core computes the derived columns. */
  rows: RolloutDraft[];
  /**
   * Set when the file is handled but holds no session by design (a warm-up agent, a
   * compaction helper, a file with no conversation lines). It lands in the report as skipped
   * with this reason. Ignored when `rows` is not empty.
   */
  skipReason?: string;
}

/**
 * The plugin contract. A format package subclasses it, registers an instance in core's
 * default registry when imported, and exports the class for explicit use.
 */
export abstract class FormatHandler<Ctx extends ParseContext = ParseContext> {
  readonly [HANDLER_BRAND] = true;
  /** The contract version this handler was built against. */
  readonly contractVersion: number = FORMAT_CONTRACT_VERSION;

  /** Stable format id, written to every row's `source_kind`: `claude_code`, `codex`, ... */
  abstract readonly id: string;
  /** Human name, such as "Claude Code". */
  abstract readonly displayName: string;
  /** Where the format's sessions live by default, and which files are sessions. */
  abstract readonly defaults: FormatDefaults;

  /** Builds per-read state once, before any file is parsed. The default has none. */
  async buildParseContext(_root: RootInfo): Promise<Ctx | undefined> {
    return undefined;
  }

  /**
   * Optional. The scope of a relative path (any path of the root's file list): files of
   * different scopes never need each other in the parse context, as the projects of Claude
   * Code do not. When defined, the reader builds one context per scope, from that scope's
   * files only, and parses a scope's files as soon as its context is built, while it builds
   * the next; without it, one context is built from every file before the first parse. A
   * file must parse to the same rows with its scope's context as with the whole root's (the
   * conformance kit checks it).
   */
  contextScope?(relativePath: string): string;

  /** True for a relative path (POSIX separators) that holds sessions of this format. */
  abstract isHandledFile(relativePath: string): boolean;

  /** Whether a matched file this handler does not read deserves a warning. Default: yes. */
  shouldWarnUnhandledFile(_relativePath: string): boolean {
    return true;
  }

  /**
   * Parses one file. Report bad input by throwing `AgentRolloutParseError` (the file fails)
   * or by `input.warn` (the file's good data is kept).
   */
  abstract parseFile(input: ParseFileInput<Ctx>): Promise<ParseFileResult>;
}

/** True for a handler from any copy of core that speaks this contract. */
export function isFormatHandler(value: unknown): value is FormatHandler {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<PropertyKey, unknown>;
  return (
    candidate[HANDLER_BRAND] === true &&
    typeof candidate.contractVersion === 'number' &&
    typeof candidate.id === 'string' &&
    typeof candidate.isHandledFile === 'function' &&
    typeof candidate.parseFile === 'function'
  );
}
