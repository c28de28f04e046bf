/**
 * Reads the few top-level fields the parse context needs from a transcript line, without
 * `JSON.parse`. The line is given as a range of a Latin-1 string (see `raw-lines.ts`): the
 * scan only reads ASCII structure, and gives up on a wanted value that is not ASCII. One pass follows the nesting (brackets, braces, strings); string
 * contents are jumped over with `indexOf`, and only the wanted values are decoded. Commas
 * and colons are not checked: a line whose brackets and quotes are unbalanced is refused,
 * and so is anything the scan does not expect (a wanted field that is not a string, an
 * escaped key), and the caller then parses the line in full.
 */

/** The top-level fields of one line that the context index uses. */
export interface LineFields {
  type: string | undefined;
  uuid: string | undefined;
  /** `timestamp` when it is a string (a number or another kind makes the scan give up). */
  timestamp: string | undefined;
  sessionId: string | undefined;
  agentId: string | undefined;
  parentUuid: string | undefined;
  requestId: string | undefined;
  isSidechain: boolean;
  /** True when `message` is an object. */
  hasMessage: boolean;
  /** `message.id` when it is a string. */
  messageId: string | undefined;
  /** True when `message` holds the JSON string `"Task"` or `"Agent"` (a call that may start a subagent). */
  messageNamesSubagentTool: boolean;
  /** True when `toolUseResult` is an object that has an `agentId` key. */
  toolResultNamesAgent: boolean;
}

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

function skipSpace(text: string, at: number, end: number): number {
  let i = at;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i += 1;
    else return i;
  }
  return i;
}

/** Index just past the string that starts at `at` (a quote), or -1 when it does not end. */
function skipString(text: string, at: number, end: number): number {
  let from = at + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1 || quote >= end) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes += 1;
    if ((backslashes & 1) === 0) return quote + 1;
    from = quote + 1;
  }
}

function isAscii(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * The value of the string from `start` (a quote) to `end` (just past its closing quote), or
 * undefined when it is not ASCII (its Latin-1 reading would not be its UTF-8 value).
 */
function stringValue(text: string, start: number, end: number): string | undefined {
  if (!isAscii(text, start + 1, end - 1)) return undefined;
  const raw = text.slice(start + 1, end - 1);
  // Escapes are rare in ids and dates; JSON decodes them exactly.
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

/**
 * Like {@link stringValue}, but a string of its own: a slice of a chunk would keep the whole
 * chunk alive for as long as the value is kept (ids held by the context index).
 */
function ownString(text: string, start: number, end: number): string | undefined {
  const value = stringValue(text, start, end);
  return value === undefined ? undefined : ownCopy(value);
}

/** A copy of a string that shares no memory with the line it was cut from. */
export function ownCopy(value: string): string {
  // Slicing a joined string flattens it into a new one first; the slice then points there.
  return ` ${value}`.slice(1);
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
 * The key in `text[start, end)` when the scan reads it, `''` for another key, undefined for
 * a key with an escape (it could spell a wanted one). Compares in place: no string per key.
 */
function keyName(text: string, start: number, end: number): string | undefined {
  const length = end - start;
  for (const name of KEYS) if (name.length === length && text.startsWith(name, start)) return name;
  for (let i = start; i < end; i += 1) if (text.charCodeAt(i) === BACKSLASH) return undefined;
  return '';
}

const EMPTY: Readonly<LineFields> = emptyFields();

/** The result object, reused from line to line: a caller reads it before the next scan. */
const fields: LineFields = emptyFields();

function emptyFields(): LineFields {
  return {
    type: undefined,
    uuid: undefined,
    timestamp: undefined,
    sessionId: undefined,
    agentId: undefined,
    parentUuid: undefined,
    requestId: undefined,
    isSidechain: false,
    hasMessage: false,
    messageId: undefined,
    messageNamesSubagentTool: false,
    toolResultNamesAgent: false,
  };
}

/**
 * Reads the value of top-level `key` that starts at `at`. Returns where the value ends when
 * it was read here, `at` when the walk should go on into it, or -1 to give up.
 */
function readTopLevel(text: string, key: string, at: number, lineEnd: number): number {
  const c = text.charCodeAt(at);
  switch (key) {
    case 'type':
    case 'timestamp':
    case 'parentUuid':
    case 'requestId':
    case 'uuid':
    case 'sessionId':
    case 'agentId': {
      if (c !== QUOTE) {
        if (key === 'parentUuid' && text.startsWith('null', at)) {
          fields.parentUuid = undefined;
          return at + 4;
        }
        return -1;
      }
      const end = skipString(text, at, lineEnd);
      if (end === -1) return -1;
      const value = key === 'uuid' ? ownString(text, at, end) : stringValue(text, at, end);
      if (value === undefined) return -1;
      fields[key] = value;
      return end;
    }
    case 'isSidechain':
      fields.isSidechain = text.startsWith('true', at);
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
export function scanLineFields(text: string, lineStart: number, lineEnd: number): LineFields | undefined {
  let i = skipSpace(text, lineStart, lineEnd);
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined;
  Object.assign(fields, EMPTY);
  let depth = 1;
  closers[1] = CLOSE_BRACE;
  // The kind of object at depth 1 and 2 (the only depths where keys are read).
  let secondLevel = OTHER;
  i += 1;
  while (i < lineEnd) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = skipString(text, i, lineEnd);
      if (end === -1) return undefined;
      if (depth === 1 || (depth === 2 && secondLevel !== OTHER)) {
        const after = skipSpace(text, end, lineEnd);
        if (text.charCodeAt(after) === COLON) {
          const key = keyName(text, i + 1, end - 1);
          if (key === undefined) return undefined;
          const valueStart = skipSpace(text, after + 1, lineEnd);
          if (depth === 1) {
            const next = readTopLevel(text, key, valueStart, lineEnd);
            if (next === -1) return undefined;
            secondLevel = key === 'message' ? MESSAGE : key === 'toolUseResult' ? TOOL_USE_RESULT : OTHER;
            i = next;
            continue;
          }
          if (secondLevel === TOOL_USE_RESULT && key === 'agentId') fields.toolResultNamesAgent = true;
          if (secondLevel === MESSAGE && key === 'id') {
            const valueEnd = text.charCodeAt(valueStart) === QUOTE ? skipString(text, valueStart, lineEnd) : -1;
            fields.messageId = undefined;
            if (valueEnd !== -1) {
              fields.messageId = ownString(text, valueStart, valueEnd);
              if (fields.messageId === undefined) return undefined;
              i = valueEnd;
              continue;
            }
          }
          i = valueStart;
          continue;
        }
      }
      // `"Task"` and `"Agent"` as whole JSON strings (an escaped quote in text is not one).
      const size = end - i;
      if (secondLevel === MESSAGE && ((size === 6 && text.startsWith('Task', i + 1)) || (size === 7 && text.startsWith('Agent', i + 1)))) {
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
      if (depth === 0) return skipSpace(text, i + 1, lineEnd) === lineEnd ? fields : undefined;
      if (depth === 1) secondLevel = OTHER;
    }
    i += 1;
  }
  return undefined;
}
