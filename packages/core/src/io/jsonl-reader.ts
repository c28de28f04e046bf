import { AgentRolloutParseError } from '../errors.js';
import { readLineChunks } from './line-chunks.js';

/** One raw line of a JSONL file, cut at `\n` bytes and decoded on its own. */
export interface RawLine {
  /** 1-based line number. */
  line: number;
  /** The decoded text, without the line break (a trailing `\r` is removed too). */
  text: string;
  /** False for the last line of a file that does not end with a newline. */
  terminated: boolean;
  /** True when the line held bytes that are not UTF-8 (decoded as U+FFFD). */
  invalidUtf8: boolean;
}

/** One line that held a JSON object. */
export interface JsonlRecord {
  /** 1-based line number in the file. */
  line: number;
  /** The parsed object, unvalidated: read it with type guards. */
  value: Record<string, unknown>;
}

/** The part of a parse input the JSONL reader needs. */
export interface JsonlReadInput {
  /** Absolute path of the JSONL file. */
  path: string;
  /** Stops the read with an `aborted` error when aborted. */
  signal?: AbortSignal;
  /** Throw an `AgentRolloutParseError` on a bad line instead of warning (a cut-short last line still only warns). */
  strict?: boolean;
  /** Receives each problem with its line; a handler passes its `ParseFileInput.warn`. */
  warn(message: string, line?: number): void;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const fatalDecoder = new TextDecoder('utf-8', { fatal: true });

/** Node's Buffer has a `utf8Slice(start, end)` method (the engine of `toString('utf8')`); its types do not list it. */
type Utf8Sliceable = Buffer & { utf8Slice(start: number, end: number): string };

function decodeLine(bytes: Buffer, start: number, end: number, line: number, terminated: boolean): RawLine {
  let stop = end;
  if (stop > start && bytes[stop - 1] === CARRIAGE_RETURN) stop -= 1;
  // utf8Slice is what toString('utf8', ...) ends in, without its argument handling: on
  // millions of lines that wrapper alone costs several percent of the read.
  const text = (bytes as Utf8Sliceable).utf8Slice(start, stop);
  // U+FFFD is rare; only then check whether the file held it or bad bytes became it.
  const invalidUtf8 = text.includes('\uFFFD') && !isValidUtf8(bytes.subarray(start, stop));
  return { line, text, terminated, invalidUtf8 };
}

function isValidUtf8(bytes: Buffer): boolean {
  try {
    fatalDecoder.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Yields, per chunk of whole lines (see `readLineChunks`), the lines in it, each decoded by
 * itself. Yielding a chunk's lines together, not one by one, keeps the cost of the async
 * iteration per line low.
 */
async function* readLineBatches(filePath: string, signal?: AbortSignal): AsyncGenerator<RawLine[]> {
  let lineNumber = 0;
  for await (const chunk of readLineChunks(filePath, signal ? { signal } : {})) {
    const lines: RawLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      lineNumber += 1;
      lines.push(decodeLine(chunk, start, nl, lineNumber, true));
      start = nl + 1;
    }
    // Only the last chunk of a file that does not end with a newline has bytes left.
    if (start < chunk.length) lines.push(decodeLine(chunk, start, chunk.length, lineNumber + 1, false));
    yield lines;
  }
}

/**
 * Streams a file's lines. Lines are cut on `\n` bytes only and each is decoded by itself,
 * which keeps ASCII lines on V8's fast one-byte strings and never holds the whole file as
 * one string. A UTF-8 BOM is dropped; a line may be of any length.
 */
export async function* readLines(filePath: string, signal?: AbortSignal): AsyncGenerator<RawLine> {
  for await (const lines of readLineBatches(filePath, signal)) yield* lines;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * Streams the JSON objects of a JSONL file with their line numbers. Blank lines are ignored.
 * A line that is not a JSON object is a warning (the rest of the file is kept) or, when
 * `strict`, an `AgentRolloutParseError`. A truncated last line, as a session still being
 * written leaves it, is always only a warning. Lines with bytes that are not UTF-8 are
 * decoded with U+FFFD in their place and warned about.
 */
export async function* readJsonlRecords(input: JsonlReadInput): AsyncGenerator<JsonlRecord> {
  for await (const lines of readLineBatches(input.path, input.signal)) {
    for (const raw of lines) {
      const record = toRecord(raw, input);
      if (record !== undefined) yield record;
    }
  }
}

/** One line as a record, or undefined when it is blank or was warned about and skipped. */
function toRecord(raw: RawLine, input: JsonlReadInput): JsonlRecord | undefined {
  if (isBlank(raw.text)) return undefined;
  let value: unknown;
  let problem: string | undefined;
  try {
    value = JSON.parse(raw.text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problem = `expected a JSON object, found ${describeJsonKind(value)}`;
    }
  } catch (error) {
    problem = `expected a JSON object, found text that is not JSON (${(error as Error).message})`;
  }
  if (problem !== undefined) {
    if (!raw.terminated) {
      input.warn('the last line is cut short (the session may still have been written); it was ignored', raw.line);
      return undefined;
    }
    if (input.strict) throw new AgentRolloutParseError(input.path, raw.line, problem);
    input.warn(`${problem}; the line was skipped`, raw.line);
    return undefined;
  }
  if (raw.invalidUtf8) {
    input.warn('the line holds bytes that are not UTF-8; they were replaced by U+FFFD', raw.line);
  }
  return { line: raw.line, value: value as Record<string, unknown> };
}
