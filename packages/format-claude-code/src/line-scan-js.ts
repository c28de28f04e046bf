import { jsonStringEnd, skipJsonSpace } from '@agent-rollout/core/format';
import { asciiStringValue, emptyFields, type LineFields } from './line-fields.js';

/**
 * Reads the few top-level fields the parse context needs from a transcript line, without
 * decoding it or `JSON.parse`. The line is given as a range of its bytes (see `raw-lines.ts`):
 * the scan only reads ASCII structure, and gives up on a wanted value that is not ASCII. One
 * pass follows the nesting (brackets, braces, strings); long string contents are jumped over
 * with `indexOf`, and only the wanted values become strings. Commas and colons are not
 * checked: a line whose brackets and quotes are unbalanced is refused, and so is anything the
 * scan does not expect (a wanted field that is not a string, an escaped key), and the caller
 * then parses the line in full.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const MAX_DEPTH = 256;

/** Closing characters expected, by depth (reused: the scan runs on one thread, line by line). */
const closers = new Uint8Array(MAX_DEPTH + 1);

/** What the second-level object being walked is, for the keys the scan reads inside it. */
const MESSAGE = 2;
const TOOL_USE_RESULT = 3;
const OTHER = 0;

/** Index just past the string that starts at `at` (a quote), or -1 when it does not end. */
function skipString(bytes: Buffer, at: number, end: number): number {
  const close = jsonStringEnd(bytes, at + 1, end);
  return close === -1 ? -1 : close + 1;
}

/**
 * The value of the string from `start` (a quote) to `end` (just past its closing quote), or
 * undefined when it is not ASCII. A string of its own, sharing no memory with the read buffer.
 */
function stringValue(bytes: Buffer, start: number, end: number): string | undefined {
  let escaped = false;
  for (let i = start + 1; i < end - 1; i += 1) {
    const c = bytes[i] as number;
    if (c > 0x7f) return undefined;
    if (c === BACKSLASH) escaped = true;
  }
  return asciiStringValue(bytes, start, end, escaped);
}

/** Whether `bytes[at, at + name.length)` spells `name` (ASCII). */
function spells(bytes: Buffer, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i += 1) if (bytes[at + i] !== name.charCodeAt(i)) return false;
  return true;
}

/** Keys the scan reads; any other key reads as `''`. */
const KEYS: readonly string[] = [
  'type',
  'uuid',
  'timestamp',
  'sessionId',
  'agentId',
  'parentUuid',
  'requestId',
  'isSidechain',
  'message',
  'toolUseResult',
  'id',
];

/**
 * The key in `bytes[start, end)` when the scan reads it, `''` for another key, undefined for
 * a key with an escape (it could spell a wanted one). Compares in place: no string per key.
 */
function keyName(bytes: Buffer, start: number, end: number): string | undefined {
  const length = end - start;
  for (const name of KEYS) if (name.length === length && spells(bytes, start, name)) return name;
  for (let i = start; i < end; i += 1) if (bytes[i] === BACKSLASH) return undefined;
  return '';
}

const EMPTY: Readonly<LineFields> = emptyFields();

/** The result object, reused from line to line: a caller reads it before the next scan. */
const fields: LineFields = emptyFields();

/**
 * Reads the value of top-level `key` that starts at `at`. Returns where the value ends when
 * it was read here, `at` when the walk should go on into it, or -1 to give up.
 */
function readTopLevel(bytes: Buffer, key: string, at: number, lineEnd: number): number {
  const c = bytes[at];
  switch (key) {
    case 'type':
    case 'timestamp':
    case 'parentUuid':
    case 'requestId':
    case 'uuid':
    case 'sessionId':
    case 'agentId': {
      if (c !== QUOTE) {
        if (key === 'parentUuid' && spells(bytes, at, 'null')) {
          fields.parentUuid = undefined;
          return at + 4;
        }
        return -1;
      }
      const end = skipString(bytes, at, lineEnd);
      if (end === -1) return -1;
      const value = stringValue(bytes, at, end);
      if (value === undefined) return -1;
      fields[key] = value;
      return end;
    }
    case 'isSidechain':
      fields.isSidechain = spells(bytes, at, 'true');
      return at;
    case 'message':
      fields.hasMessage = c === OPEN_BRACE;
      fields.messageId = undefined;
      return at;
    case 'toolUseResult':
      fields.toolResultNamesAgent = false;
      return at;
    default:
      return at;
  }
}

/**
 * The context fields of one line, or undefined when the line must be parsed in full (it is
 * not a JSON object, or holds something the scan does not read). Repeated keys keep the
 * last value, as `JSON.parse` does. The object returned is reused by the next call.
 */
export function scanLineFieldsInJs(bytes: Buffer, lineStart: number, lineEnd: number): LineFields | undefined {
  let i = skipJsonSpace(bytes, lineStart, lineEnd);
  if (bytes[i] !== OPEN_BRACE) return undefined;
  Object.assign(fields, EMPTY);
  let depth = 1;
  closers[1] = CLOSE_BRACE;
  // The kind of object at depth 1 and 2 (the only depths where keys are read).
  let secondLevel = OTHER;
  i += 1;
  while (i < lineEnd) {
    const c = bytes[i];
    if (c === QUOTE) {
      const end = skipString(bytes, i, lineEnd);
      if (end === -1) return undefined;
      if (depth === 1 || (depth === 2 && secondLevel !== OTHER)) {
        const after = skipJsonSpace(bytes, end, lineEnd);
        if (bytes[after] === COLON) {
          const key = keyName(bytes, i + 1, end - 1);
          if (key === undefined) return undefined;
          const valueStart = skipJsonSpace(bytes, after + 1, lineEnd);
          if (depth === 1) {
            const next = readTopLevel(bytes, key, valueStart, lineEnd);
            if (next === -1) return undefined;
            secondLevel = key === 'message' ? MESSAGE : key === 'toolUseResult' ? TOOL_USE_RESULT : OTHER;
            i = next;
            continue;
          }
          if (secondLevel === TOOL_USE_RESULT && key === 'agentId') fields.toolResultNamesAgent = true;
          if (secondLevel === MESSAGE && key === 'id') {
            const valueEnd = bytes[valueStart] === QUOTE ? skipString(bytes, valueStart, lineEnd) : -1;
            fields.messageId = undefined;
            if (valueEnd !== -1) {
              fields.messageId = stringValue(bytes, valueStart, valueEnd);
              if (fields.messageId === undefined) return undefined;
              i = valueEnd;
              continue;
            }
          }
          i = valueStart;
          continue;
        }
      }
      // `"Task"` and `"Agent"` as whole JSON strings (an escaped quote in a text is not one).
      const size = end - i;
      if (secondLevel === MESSAGE && ((size === 6 && spells(bytes, i + 1, 'Task')) || (size === 7 && spells(bytes, i + 1, 'Agent')))) {
        fields.messageNamesSubagentTool = true;
      }
      i = end;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === MAX_DEPTH) return undefined;
      depth += 1;
      closers[depth] = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
      // Only the value of a top-level key opens a second level whose keys are read.
      if (depth === 2 && c === OPEN_BRACKET) secondLevel = OTHER;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (closers[depth] !== c) return undefined;
      depth -= 1;
      if (depth === 0) return skipJsonSpace(bytes, i + 1, lineEnd) === lineEnd ? fields : undefined;
      if (depth === 1) secondLevel = OTHER;
    }
    i += 1;
  }
  return undefined;
}
