import { AgentRolloutParseError, describeError, isAgentRolloutError, isAgentRolloutParseError } from '../errors.js';
import type { FormatHandler, ParseContext } from '../handler/format-handler.js';
import { createRedactor, type RedactionOptions } from '../redact/create-redactor.js';
import { finalizeRollout } from '../schema/derive.js';
import type { NormalizedRollout } from '../schema/row.js';
import type { EncodedRows } from './encode-rows.js';
import type { ManifestFile } from './manifest.js';
import type { RunFailure, RunWarning } from './run-report.js';

/** Beyond this many warnings for one file, only their number is kept. */
export const MAX_WARNINGS_PER_FILE = 20;

/** What became of one file. */
export type FileOutcome =
  | { status: 'parsed'; file: ManifestFile; rows: NormalizedRollout[]; warnings: RunWarning[]; redactions?: Record<string, number> }
  | { status: 'skipped'; file: ManifestFile; reason: string; warnings: RunWarning[] }
  | { status: 'failed'; file: ManifestFile; failure: RunFailure; error: unknown; warnings: RunWarning[] }
  /** Parsed rows already serialized as JSONL (see `encodeRows`), as a worker pool returns them. */
  | { status: 'encoded'; file: ManifestFile; encoded: EncodedRows; warnings: RunWarning[]; redactions?: Record<string, number> };

export interface ParseOneFileOptions {
  root: string;
  signal: AbortSignal;
  strict: boolean;
  /**
   * Redact the file's rows as they are made. A fresh redactor per file, so a file's rows come
   * out the same whichever thread parses it and whatever was parsed before.
   */
  redaction?: RedactionOptions;
}

/**
 * Runs a handler on one file and turns whatever happens into an outcome: rows with their
 * derived columns, a skip with its reason, or a failure that names the file and line.
 */
export async function parseOneFile(
  handler: FormatHandler,
  context: ParseContext | undefined,
  file: ManifestFile,
  options: ParseOneFileOptions,
): Promise<FileOutcome> {
  const warnings: RunWarning[] = [];
  let dropped = 0;
  const warn = (message: string, line?: number): void => {
    if (warnings.length < MAX_WARNINGS_PER_FILE) {
      warnings.push(line === undefined ? { path: file.relativePath, message } : { path: file.relativePath, line, message });
    } else {
      dropped += 1;
    }
  };
  const closeWarnings = (): RunWarning[] => {
    if (dropped > 0) warnings.push({ path: file.relativePath, message: `${dropped} more warnings for this file were not listed` });
    return warnings;
  };
  try {
    const result = await handler.parseFile({
      path: file.path,
      relativePath: file.relativePath,
      root: options.root,
      size: file.size,
      context,
      signal: options.signal,
      strict: options.strict,
      warn,
    });
    if (result.rows.length === 0) {
      return { status: 'skipped', file, reason: result.skipReason ?? 'the file holds no conversation', warnings: closeWarnings() };
    }
    const rows = result.rows.map(finalizeRollout);
    if (options.redaction === undefined) return { status: 'parsed', file, rows, warnings: closeWarnings() };
    const redactor = createRedactor(options.redaction);
    const redacted = rows.map((row) => redactor.redactRow(row));
    return { status: 'parsed', file, rows: redacted, warnings: closeWarnings(), redactions: { ...redactor.counts } };
  } catch (error) {
    if (isAgentRolloutError(error) && error.code === 'aborted') throw error;
    const failure: RunFailure = isAgentRolloutParseError(error)
      ? { path: file.relativePath, ...(error.line === undefined ? {} : { line: error.line }), reason: error.reason }
      : { path: file.relativePath, reason: describeFileError(error) };
    const wrapped = isAgentRolloutParseError(error)
      ? error
      : new AgentRolloutParseError(file.path, undefined, failure.reason, { cause: error });
    return { status: 'failed', file, failure, error: wrapped, warnings: closeWarnings() };
  }
}

function describeFileError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return `the file cannot be read (${code}: permission denied)`;
  if (code === 'EISDIR') return 'expected a file, found a directory';
  if (code === 'ENOENT') return 'the file disappeared while the read was running';
  return `the handler failed: ${describeError(error)}`;
}
