import { AgentRolloutParseError } from '../errors.js';
import { readLineChunks } from './line-chunks.js';
import { MemberSkipper } from './skip-members.js';
import { decodeUtf8 } from './utf8-decode.js';

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

function decodeLine(bytes: Buffer, start: number, end: number, line: number, terminated: boolean): RawLine {
  let stop = end;
  if (stop > start && bytes[stop - 1] === CARRIAGE_RETURN) stop -= 1;
  const { text, knownWellFormed } = decodeUtf8(bytes, start, stop);
  return { line, text, terminated, invalidUtf8: !knownWellFormed && holdsInvalidUtf8(text, bytes, start, stop) };
}

/** U+FFFD is rare; only then check whether the bytes held it or bad bytes became it. */
function holdsInvalidUtf8(text: string, bytes: Buffer, start: number, end: number): boolean {
  return text.includes('\uFFFD') && !isValidUtf8(bytes.subarray(start, end));
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

/** Options of {@link readJsonlRecords}. */
export interface JsonlRecordOptions {
  /**
   * Members whose values the caller never reads, such as a large second copy of data it
   * takes from elsewhere: each a top-level key, or keys joined by dots into nested objects
   * (`payload.item.aggregated_output`). They are cut out of each line's bytes before the line
   * is decoded and parsed, so they cost neither, and the records never hold them. A skipped
   * value is only followed through its strings and brackets: a defect inside it is not
   * reported. Keys are printable ASCII without quotes, backslashes or dots.
   */
  skipMembers?: readonly string[];
}

/**
 * Streams the JSON objects of a JSONL file with their line numbers. Blank lines are ignored.
 * A line that is not a JSON object is a warning (the rest of the file is kept) or, when
 * `strict`, an `AgentRolloutParseError`. A truncated last line, as a session still being
 * written leaves it, is always only a warning. Lines with bytes that are not UTF-8 are
 * decoded with U+FFFD in their place and warned about.
 */
export async function* readJsonlRecords(input: JsonlReadInput, options: JsonlRecordOptions = {}): AsyncGenerator<JsonlRecord> {
  const skipper = options.skipMembers !== undefined && options.skipMembers.length > 0 ? new MemberSkipper(options.skipMembers) : undefined;
  let lineNumber = 0;
  // Each line is decoded and parsed as it is reached, while its chunk is at hand: a skipped
  // member is cut from the bytes, and a line the cut cannot handle is decoded whole.
  for await (const chunk of readLineChunks(input.path, input.signal ? { signal: input.signal } : {})) {
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      lineNumber += 1;
      const record = readRecord(chunk, start, nl, lineNumber, true, input, skipper);
      start = nl + 1;
      if (record !== undefined) yield record;
    }
    // Only the last chunk of a file that does not end with a newline has bytes left.
    if (start < chunk.length) {
      const record = readRecord(chunk, start, chunk.length, lineNumber + 1, false, input, skipper);
      if (record !== undefined) yield record;
    }
  }
}

/** One line as a record, or undefined when it is blank or was warned about and skipped. */
function readRecord(
  bytes: Buffer,
  start: number,
  end: number,
  line: number,
  terminated: boolean,
  input: JsonlReadInput,
  skipper: MemberSkipper | undefined,
): JsonlRecord | undefined {
  if (skipper === undefined || !skipper.mentions(bytes, start, end)) {
    return toRecord(decodeLine(bytes, start, end, line, terminated), input);
  }
  const kept = skipper.cut(bytes, start, end);
  if (kept !== undefined) {
    const { text, knownWellFormed } = decodeUtf8(kept, 0, kept.length);
    const value = parseObject(text);
    // A line that does not parse is read again whole, so its problem is told as it stands.
    if (typeof value !== 'string') {
      if (!knownWellFormed && holdsInvalidUtf8(text, kept, 0, kept.length)) warnInvalidUtf8(input, line);
      return { line, value };
    }
  }
  const record = toRecord(decodeLine(bytes, start, end, line, terminated), input);
  // The cut did not apply (a key spelled with escapes, a line it cannot follow): the members go here.
  if (record !== undefined) skipper.removeFrom(record.value);
  return record;
}

/** The JSON object in `text`, or what is wrong with it. */
function parseObject(text: string): Record<string, unknown> | string {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return `expected a JSON object, found ${describeJsonKind(value)}`;
  } catch (error) {
    return `expected a JSON object, found text that is not JSON (${(error as Error).message})`;
  }
}

/** One decoded line as a record, or undefined when it is blank or was warned about and skipped. */
function toRecord(raw: RawLine, input: JsonlReadInput): JsonlRecord | undefined {
  if (isBlank(raw.text)) return undefined;
  const value = parseObject(raw.text);
  if (typeof value === 'string') {
    if (!raw.terminated) {
      input.warn('the last line is cut short (the session may still have been written); it was ignored', raw.line);
      return undefined;
    }
    if (input.strict) throw new AgentRolloutParseError(input.path, raw.line, value);
    input.warn(`${value}; the line was skipped`, raw.line);
    return undefined;
  }
  if (raw.invalidUtf8) warnInvalidUtf8(input, raw.line);
  return { line: raw.line, value };
}

function warnInvalidUtf8(input: JsonlReadInput, line: number): void {
  input.warn('the line holds bytes that are not UTF-8; they were replaced by U+FFFD', line);
}
