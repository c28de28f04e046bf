import { jsonStringEnd, skipJsonSpace } from './json-bytes.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** Deeper values are left to `JSON.parse`: the line is then parsed whole. */
const MAX_DEPTH = 512;
/** The reused output buffer keeps lines up to this size; a longer one gets a buffer of its own. */
const KEPT_SCRATCH_BYTES = 8 << 20;

/** Closing byte expected at each depth of a value being skipped (one thread, one line at a time). */
const closers = new Uint8Array(MAX_DEPTH);

/** The keys of one object level: a member named `names[k]` is cut when `inner[k]` is undefined, else walked into. */
interface KeyLevel {
  names: Buffer[];
  inner: (KeyLevel | undefined)[];
}

/**
 * Cuts named members out of a JSON object line, on its bytes, before the line is decoded and
 * parsed: a format whose records carry large values it never reads (Claude Code's
 * `toolUseResult` and Codex's `aggregated_output`, second copies of each tool's output) then
 * spends neither decoding nor `JSON.parse` on them. The line is walked member by member, into
 * the objects a path goes through; a cut value is only followed through its strings and
 * brackets, so a defect inside it goes unnoticed, while what is kept is parsed as always.
 */
export class MemberSkipper {
  /** The paths this skipper cuts, as given. */
  readonly paths: readonly string[];
  readonly #top: KeyLevel = { names: [], inner: [] };
  /** `"name"` for each last key of a path: a line that holds none of them is not walked. */
  readonly #quotedNames: Buffer[] = [];
  /** The chunk searched for the names last, and where each name occurs next in it (-1: nowhere). */
  #searched: Buffer | undefined;
  readonly #nextMention: number[] = [];
  /** Byte ranges to leave out, `[start, end)` pairs in order, reused from line to line. */
  readonly #cuts: number[] = [];
  #scratch: Buffer = Buffer.allocUnsafeSlow(1 << 16);

  /** `paths`: a top-level key, or keys joined by dots into nested objects (`payload.item.aggregated_output`). */
  constructor(paths: readonly string[]) {
    this.paths = [...paths];
    for (const path of paths) {
      const keys = path.split('.');
      for (const key of keys) {
        if (!/^[\x20-\x7e]+$/.test(key) || key.includes('"') || key.includes('\\')) {
          throw new TypeError(`a skipped key must be printable ASCII without quotes, backslashes or dots, got ${JSON.stringify(path)}`);
        }
      }
      this.#add(this.#top, keys);
      const quoted = Buffer.from(`"${keys.at(-1)}"`, 'latin1');
      if (!this.#quotedNames.some((known) => known.equals(quoted))) this.#quotedNames.push(quoted);
    }
  }

  /**
   * The object in `bytes[start, end)` without its skipped members, as bytes that stay valid
   * until the next call; undefined when it holds none of them, or when the line is not an
   * object the walk can follow (the caller then parses the line whole, and `JSON.parse`
   * reports what is wrong with it). Ask {@link mentions} first: a line that does not name a
   * skipped key is walked for nothing.
   */
  cut(bytes: Buffer, start: number, end: number): Buffer | undefined {
    this.#cuts.length = 0;
    const open = skipJsonSpace(bytes, start, end);
    if (bytes[open] !== OPEN_BRACE || open >= end) return undefined;
    const close = this.#walkObject(bytes, open, end, this.#top);
    if (close === -1 || skipJsonSpace(bytes, close, end) !== end || this.#cuts.length === 0) return undefined;
    return this.#keep(bytes, start, end);
  }

  /**
   * Deletes the skipped members from a record parsed from the whole line, for a line
   * {@link cut} could not handle, so records never hold them either way.
   */
  removeFrom(record: Record<string, unknown>): void {
    removeMembers(record, this.#top);
  }

  #add(level: KeyLevel, keys: readonly string[]): void {
    const [key, ...rest] = keys as [string, ...string[]];
    const name = Buffer.from(key, 'latin1');
    let index = level.names.findIndex((known) => known.equals(name));
    if (index === -1) {
      index = level.names.push(name) - 1;
      level.inner.push(rest.length === 0 ? undefined : { names: [], inner: [] });
    }
    const inner = level.inner[index];
    // A member cut whole needs no path into it.
    if (rest.length === 0) level.inner[index] = undefined;
    else if (inner !== undefined) this.#add(inner, rest);
  }

  /**
   * Whether `bytes[start, end)` holds a skipped key's name anywhere, a cheap test before the
   * walk. Lines of one chunk are asked in order: each name is searched for from one of its
   * places to the next, so a chunk is searched once, not once per line.
   */
  mentions(bytes: Buffer, start: number, end: number): boolean {
    const next = this.#nextMention;
    if (bytes !== this.#searched) {
      this.#searched = bytes;
      next.length = 0;
    }
    let found = false;
    for (let k = 0; k < this.#quotedNames.length; k += 1) {
      let at = next[k];
      if (at === undefined || (at !== -1 && at < start)) {
        at = bytes.indexOf(this.#quotedNames[k] as Buffer, start);
        next[k] = at;
      }
      if (at !== -1 && at < end) found = true;
    }
    return found;
  }

  /**
   * Walks the object that opens at `open`, noting the members of `level` to cut (each with one
   * comma beside it, so what is left is still JSON). Returns the index past its `}`, or -1.
   */
  #walkObject(bytes: Buffer, open: number, end: number, level: KeyLevel): number {
    let i = skipJsonSpace(bytes, open + 1, end);
    if (bytes[i] === CLOSE_BRACE && i < end) return i + 1;
    const firstMember = i;
    /** Just past the last member kept so far, or -1. */
    let keptEnd = -1;
    for (;;) {
      if (bytes[i] !== QUOTE || i >= end) return -1;
      const memberStart = i;
      const keyEnd = jsonStringEnd(bytes, i + 1, end);
      if (keyEnd === -1) return -1;
      const named = nameIndex(level.names, bytes, i + 1, keyEnd);
      // A key written with escapes could spell a skipped one: such a line is parsed whole.
      if (named === ESCAPED_KEY) return -1;
      const inner = named === -1 ? undefined : level.inner[named];
      i = skipJsonSpace(bytes, keyEnd + 1, end);
      if (bytes[i] !== COLON || i >= end) return -1;
      const valueStart = skipJsonSpace(bytes, i + 1, end);
      const memberEnd =
        inner !== undefined && bytes[valueStart] === OPEN_BRACE
          ? this.#walkObject(bytes, valueStart, end, inner)
          : valueEnd(bytes, valueStart, end);
      if (memberEnd === -1) return -1;
      i = skipJsonSpace(bytes, memberEnd, end);
      const last = bytes[i] === CLOSE_BRACE;
      if ((!last && bytes[i] !== COMMA) || i >= end) return -1;
      if (named !== -1 && inner === undefined) {
        // With the comma after it; the last member takes the comma before it.
        if (!last) this.#leaveOut(memberStart, skipJsonSpace(bytes, i + 1, end));
        else this.#leaveOut(keptEnd === -1 ? firstMember : keptEnd, memberEnd);
      } else {
        keptEnd = memberEnd;
      }
      if (last) return i + 1;
      i = skipJsonSpace(bytes, i + 1, end);
    }
  }

  /** Notes `[start, end)` to leave out, merged with the ranges it reaches back over. */
  #leaveOut(start: number, end: number): void {
    const cuts = this.#cuts;
    let to = end;
    while (cuts.length > 0 && (cuts[cuts.length - 2] as number) >= start) {
      to = Math.max(to, cuts.pop() as number);
      cuts.pop();
    }
    cuts.push(start, to);
  }

  /** The bytes of `[start, end)` outside the noted ranges, in the scratch buffer when they fit. */
  #keep(bytes: Buffer, start: number, end: number): Buffer {
    const cuts = this.#cuts;
    let size = end - start;
    for (let k = 0; k < cuts.length; k += 2) size -= (cuts[k + 1] as number) - (cuts[k] as number);
    let out = this.#scratch;
    if (size > out.length) {
      if (size > KEPT_SCRATCH_BYTES) out = Buffer.allocUnsafe(size);
      else out = this.#scratch = Buffer.allocUnsafeSlow(Math.min(KEPT_SCRATCH_BYTES, Math.max(size, out.length * 2)));
    }
    let at = 0;
    let from = start;
    for (let k = 0; k < cuts.length; k += 2) {
      at += bytes.copy(out, at, from, cuts[k] as number);
      from = cuts[k + 1] as number;
    }
    at += bytes.copy(out, at, from, end);
    return out.subarray(0, at);
  }
}

const ESCAPED_KEY = -2;

function removeMembers(object: Record<string, unknown>, level: KeyLevel): void {
  for (let n = 0; n < level.names.length; n += 1) {
    const key = (level.names[n] as Buffer).toString('latin1');
    if (!Object.hasOwn(object, key)) continue;
    const inner = level.inner[n];
    const value = object[key];
    if (inner === undefined) delete object[key];
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) removeMembers(value as Record<string, unknown>, inner);
  }
}

/** Which of `names` the key in `bytes[start, end)` is, -1 for none, {@link ESCAPED_KEY} for a key with escapes. */
function nameIndex(names: readonly Buffer[], bytes: Buffer, start: number, end: number): number {
  const length = end - start;
  for (let n = 0; n < names.length; n += 1) {
    const name = names[n] as Buffer;
    if (name.length !== length) continue;
    let i = 0;
    while (i < length && bytes[start + i] === name[i]) i += 1;
    if (i === length) return n;
  }
  for (let i = start; i < end; i += 1) if (bytes[i] === BACKSLASH) return ESCAPED_KEY;
  return -1;
}

/** Index just past the JSON value that starts at `at`, or -1 when it does not end before `end`. */
function valueEnd(bytes: Buffer, at: number, end: number): number {
  if (at >= end) return -1;
  const first = bytes[at];
  if (first === QUOTE) {
    const close = jsonStringEnd(bytes, at + 1, end);
    return close === -1 ? -1 : close + 1;
  }
  if (first === OPEN_BRACE || first === OPEN_BRACKET) return containerEnd(bytes, at, end);
  // A number, true, false or null: up to the next delimiter (JSON.parse checks the kept ones).
  let i = at;
  while (i < end) {
    const c = bytes[i];
    if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) break;
    i += 1;
  }
  return i > at ? i : -1;
}

/** Index just past the object or array that opens at `at`, or -1. */
function containerEnd(bytes: Buffer, at: number, end: number): number {
  let depth = 0;
  let i = at;
  while (i < end) {
    const c = bytes[i] as number;
    if (c === QUOTE) {
      const close = jsonStringEnd(bytes, i + 1, end);
      if (close === -1) return -1;
      i = close + 1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === MAX_DEPTH) return -1;
      // `}` and `]` are two past `{` and `[`.
      closers[depth] = c + 2;
      depth += 1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 0 || closers[depth - 1] !== c) return -1;
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  return -1;
}
