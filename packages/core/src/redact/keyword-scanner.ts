/**
 * Finds every occurrence of a set of lower-case keywords in a text, case-insensitively, in one
 * pass. A regular expression with one alternative per keyword costs 10-20 ns per character in
 * V8 (each position tries every alternative); this scan looks at two characters at a time. On
 * Node 20 and the benchmark's texts (half of them two-byte strings) it costs about 4 ns per
 * character read from the string, and about 2 ns from a one-byte copy read a pair at a time as
 * 16-bit numbers (see {@link scan}; 3-4 ns when the copy was read a byte at a time).
 *
 * How: every keyword of three or more characters has a character pair at an even offset and one
 * at an odd offset from its start. The scan reads the pairs at even positions of the text only;
 * any occurrence has one of its two chosen pairs there. A table says, for each pair, which
 * keywords to compare in full at which start. Each keyword's pairs are chosen to be rare in
 * ordinary text (`ke` and `ok` for `token`, not `to` and `en`), so few positions need a compare.
 * Shorter keywords are found through a pair with any character before or after them.
 *
 * Where WebAssembly SIMD runs, a long text is searched by keyword-scan.wat instead, sixteen
 * positions a step (keyword-buckets.ts): on the benchmark's 1 GB corpus that took the search of
 * long texts from 2.4-2.6 s of CPU in one thread to 1.2-1.6 s. The pair scan stays for short
 * texts and where the module cannot run.
 *
 * Case folding is that of a case-insensitive non-Unicode regular expression: ASCII letters fold;
 * a keyword with other characters is compared with such an expression.
 */

import { characterWeight } from './character-weight.js';
import { planKeywordBuckets } from './keyword-buckets.js';
import { type Latin1Writable, type WasmKeywordPlan, wasmKeywordFinder } from './keyword-scan-wasm.js';

/** ASCII characters, lower-cased; every other character is 0 (the pair table only knows ASCII). */
const FOLD = new Uint8Array(65536);
for (let code = 0; code < 128; code++) FOLD[code] = code >= 65 && code <= 90 ? code | 32 : code;

function pairCode(first: number, second: number): number {
  return (first << 7) | second;
}

/** The most frequent letter pairs of English text, each several times as frequent as its letters suggest. */
const COMMON_PAIRS = new Set(
  'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur'.split(
    ' ',
  ),
);

function pairWeight(first: number, second: number): number {
  const weight = characterWeight(first) * characterWeight(second);
  return COMMON_PAIRS.has(String.fromCharCode(first, second)) ? weight * 4 : weight;
}

/**
 * The offset (of the given parity, up to `length - 2`) whose pair is the least frequent; the
 * character after the pair (a second filter) breaks ties.
 */
function rarestPairOffset(codes: Uint8Array, parity: 0 | 1): number {
  let best = parity;
  let bestWeight = Number.POSITIVE_INFINITY;
  for (let offset = parity; offset + 1 < codes.length; offset += 2) {
    const third = offset + 2 < codes.length ? characterWeight(codes[offset + 2] as number) : 100;
    const weight = pairWeight(codes[offset] as number, codes[offset + 1] as number) * 1000 + third;
    if (weight < bestWeight) {
      best = offset;
      bestWeight = weight;
    }
  }
  return best;
}

/**
 * `String.prototype.charCodeAt`, called as `charCodeAt.call(text, i)`. Texts come in many
 * internal string shapes (flat, concatenated, sliced, one or two bytes per character); looked up
 * as `text.charCodeAt`, the method lookup sees them all, V8 gives up specializing it, and each
 * character costs a full call (3-4 times slower). Called through a constant, it is inlined, but
 * only through one of this module's own: imported from a shared module, it was not
 * (`toEpochMs` in timestamps.ts, which keeps its own too, ran 2-3 times slower that way).
 */
const charCodeAt = String.prototype.charCodeAt;

/** The pair code at an even position; past the end of the text, a character reads as 0. */
function pairAt(text: string, position: number): number {
  const second = position + 1 < text.length ? (FOLD[charCodeAt.call(text, position + 1)] as number) : 0;
  return pairCode(FOLD[charCodeAt.call(text, position)] as number, second);
}

/**
 * The next even position from `from` on whose pair, and the character after it, may start a
 * keyword; -1 when there is none. The hot loop of the scan: a plain function of its arguments
 * (no object fields), so that the optimizing compiler keeps it fast whatever else changes.
 */
function nextCandidate(text: string, from: number, entries: Int32Array, candidates: Int32Array): number {
  const length = text.length;
  for (let position = from; position < length; position += 2) {
    const second = position + 1 < length ? (FOLD[charCodeAt.call(text, position + 1)] as number) : 0;
    const entry = entries[pairCode(FOLD[charCodeAt.call(text, position)] as number, second)] as number;
    if (entry !== 0) {
      const next = position + 2 < length ? (FOLD[charCodeAt.call(text, position + 2)] as number) : 0;
      if (((candidates[entry + 1 + (next >> 5)] as number) & (1 << (next & 31))) !== 0) return position;
    }
  }
  return -1;
}

/**
 * Whether this machine stores a 16-bit number low byte first: a `Uint16Array` over the one-byte
 * copy then reads the pair (first, second) as `first | second << 8`, else as
 * `first << 8 | second`. {@link rawPairTable} is laid out to match.
 */
const LITTLE_ENDIAN = new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1;

/**
 * {@link nextCandidate} over the one-byte copy (see {@link KeywordScanner.scan}), a pair of
 * characters at a time: each step reads the pair as one 16-bit number and looks it up as it is,
 * folding included. `pair` counts pairs (the pair at `pair` starts at character `2 * pair`);
 * two zero bytes follow the copy, so the last pair and the character after it are read without
 * a test for the end.
 */
function nextCandidateInPairs(
  pairs: Uint16Array,
  bytes: Uint8Array,
  from: number,
  end: number,
  rawEntries: Int32Array,
  candidates: Int32Array,
): number {
  for (let pair = from; pair < end; pair++) {
    const entry = rawEntries[pairs[pair] as number] as number;
    if (entry !== 0) {
      const next = FOLD[bytes[2 * pair + 2] as number] as number;
      if (((candidates[entry + 1 + (next >> 5)] as number) & (1 << (next & 31))) !== 0) return pair;
    }
  }
  return -1;
}

/** Texts at least this long are scanned as bytes; below, copying them costs more than it saves. */
const BYTE_SCAN_MIN_LENGTH = 64;
/** The copy is kept for texts up to this length; a longer one is scanned as a string. */
const BYTE_SCAN_MAX_LENGTH = 8 << 20;
/**
 * Characters a scanner reads with the pair scan before it plans its WebAssembly search.
 * Planning a hundred keywords takes 2-3 ms, about what the pair scan loses over a megabyte of
 * text; a keyword list that only ever reads a small file (the path anonymizer adds each user
 * name it learns to the list) then never pays it.
 */
const WASM_PLAN_AFTER_CHARACTERS = 1 << 20;

/** A text one byte per character, and the same memory read a character pair at a time. */
interface OneByteCopy {
  bytes: Buffer;
  pairs: Uint16Array;
}

/**
 * The one-byte copy of the text being scanned, shared by every scanner of the thread (scans
 * never nest; redactors are made per file, and their scanners are cached), so it is made once
 * and then only grows, up to {@link BYTE_SCAN_MAX_LENGTH} and the two zero bytes after it.
 */
let copy: OneByteCopy | undefined;

/**
 * `text` one byte per character in the shared buffer, followed by two zero bytes that the last
 * pair and the character after it read (zeros, as the string scan reads past the end, rather
 * than what a longer text left there; either way a candidate is compared with the text itself).
 */
function oneByteCopy(text: string): OneByteCopy {
  const needed = text.length + 2;
  if (copy === undefined || copy.bytes.length < needed) {
    // Of even size, from the start of its own memory, so that every pair is a whole 16-bit number.
    const size = Math.min(BYTE_SCAN_MAX_LENGTH + 2, Math.max(needed, 1 << 16, (copy?.bytes.length ?? 0) * 2));
    const bytes = Buffer.allocUnsafeSlow(size + (size & 1));
    copy = { bytes, pairs: new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1) };
  }
  const { bytes } = copy;
  (bytes as Latin1Writable).latin1Write(text, 0);
  bytes[text.length] = 0;
  bytes[text.length + 1] = 0;
  return copy;
}

/**
 * The pair table by raw bytes: for any two bytes of the one-byte copy, read as one 16-bit number
 * in this machine's byte order, the entry of their folded pair. 256 KB per scanner, looked up
 * without folding or combining the two characters first.
 */
function rawPairTable(entries: Int32Array): Int32Array {
  const raw = new Int32Array(65536);
  for (let first = 0; first < 256; first++) {
    for (let second = 0; second < 256; second++) {
      const number = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second;
      raw[number] = entries[pairCode(FOLD[first] as number, FOLD[second] as number)] as number;
    }
  }
  return raw;
}

/** Where the scan writes what it found: keyword indices and start offsets, in pairs. */
export class KeywordHits {
  /** `[keyword, start, keyword, start, ...]`; only the first `2 * count` entries are valid. */
  data = new Int32Array(64);
  count = 0;

  push(keyword: number, start: number): void {
    const at = this.count * 2;
    if (at + 2 > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[at] = keyword;
    this.data[at + 1] = start;
    this.count++;
  }
}

export class KeywordScanner {
  /** The keywords, in the order their indices refer to. */
  readonly keywords: readonly string[];
  /** The length of the shortest keyword: a shorter text holds none. */
  readonly minLength: number;
  /** For each pair code, 0 or the position in `candidates` of its list. */
  private readonly entries = new Int32Array(128 * 128);
  /** Lists `[count, keyword, offset, keyword, offset, ...]`: compare `keyword` at `position - offset`. */
  private readonly candidates: Int32Array;
  /** Folded character codes of all keywords, one after the other. */
  private readonly codes: Uint8Array;
  /** Where each keyword's codes start in `codes`, and (next entry) where they end. */
  private readonly codeStarts: Int32Array;
  /** A sticky case-insensitive expression for each keyword with characters outside ASCII. */
  private readonly nonAscii: (RegExp | undefined)[];
  /** Whether every keyword is ASCII, so that a long text can be scanned as a one-byte copy. */
  private readonly asciiOnly: boolean;
  /** `entries` by two bytes of the one-byte copy read as one number; made on the first long text. */
  private rawEntries: Int32Array | undefined;
  /** The keywords as keyword-scan.wat finds them; planned once the pair scan has read enough. */
  private wasmPlan: WasmKeywordPlan | undefined;
  /** Characters the pair scan still reads before the WebAssembly search is planned. */
  private charactersBeforePlan: number;

  /**
   * `keywords`: distinct, lower case, not empty. `wasmPlanAfter`: characters of long texts to
   * read with the pair scan before the WebAssembly search is planned (tests set 0).
   */
  constructor(keywords: readonly string[], wasmPlanAfter = WASM_PLAN_AFTER_CHARACTERS) {
    this.charactersBeforePlan = wasmPlanAfter;
    this.keywords = keywords;
    this.minLength = keywords.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...keywords.map((keyword) => keyword.length));
    this.codes = new Uint8Array(keywords.reduce((total, keyword) => total + keyword.length, 0));
    this.codeStarts = new Int32Array(keywords.length + 1);
    this.nonAscii = [];
    const lists = new Map<number, number[]>();
    const add = (code: number, keyword: number, offset: number): void => {
      let list = lists.get(code);
      if (!list) {
        list = [];
        lists.set(code, list);
      }
      list.push(keyword, offset);
    };
    keywords.forEach((keyword, index) => {
      // By UTF-16 unit, as the scan reads the text.
      const codes = new Uint8Array(keyword.length);
      let ascii = true;
      for (let i = 0; i < keyword.length; i++) {
        const code = keyword.charCodeAt(i);
        codes[i] = FOLD[code] as number;
        if (code >= 128) ascii = false;
      }
      this.codes.set(codes, this.codeStarts[index] as number);
      this.codeStarts[index + 1] = (this.codeStarts[index] as number) + codes.length;
      this.nonAscii.push(ascii ? undefined : new RegExp(keyword.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'iy'));
      const first = codes[0] as number;
      if (codes.length >= 3) {
        const even = rarestPairOffset(codes, 0);
        const odd = rarestPairOffset(codes, 1);
        add(pairCode(codes[even] as number, codes[even + 1] as number), index, even);
        add(pairCode(codes[odd] as number, codes[odd + 1] as number), index, odd);
      } else if (codes.length === 2) {
        // At an even start the keyword is the pair; at an odd one it follows any character.
        add(pairCode(first, codes[1] as number), index, 0);
        for (let other = 0; other < 128; other++) add(pairCode(other, first), index, -1);
      } else {
        for (let other = 0; other < 128; other++) {
          add(pairCode(first, other), index, 0);
          add(pairCode(other, first), index, -1);
        }
      }
    });
    // Each list: its length, the characters that may follow the pair (a 128-bit set), then the
    // candidates. The set lets most passing pairs be dismissed without a compare.
    const flat: number[] = [0];
    for (const [code, list] of lists) {
      const follow = [0, 0, 0, 0];
      for (let at = 0; at < list.length; at += 2) {
        const keyword = list[at] as number;
        const next = (list[at + 1] as number) + 2;
        const keywordLength = (this.codeStarts[keyword + 1] as number) - (this.codeStarts[keyword] as number);
        if (next < keywordLength) {
          const char = this.codes[(this.codeStarts[keyword] as number) + next] as number;
          follow[char >> 5] = (follow[char >> 5] as number) | (1 << (char & 31));
        } else {
          follow.fill(-1);
        }
      }
      this.entries[code] = flat.length;
      flat.push(list.length / 2, ...follow, ...list);
    }
    this.candidates = Int32Array.from(flat);
    this.asciiOnly = this.nonAscii.every((pattern) => pattern === undefined);
  }

  /**
   * Appends every occurrence in `text` (any two may overlap) to `hits`, roughly in text order.
   * When every keyword is ASCII, a long text is first copied one byte per character (the low
   * byte of each UTF-16 unit) and searched there, by the WebAssembly module or by pairs. A
   * character outside ASCII may then read as an ASCII one, which can only add candidates: each
   * is compared with the text itself, and the pairs of ASCII keywords never hold a character
   * outside ASCII.
   */
  scan(text: string, hits: KeywordHits): void {
    if (text.length < this.minLength) return;
    const entries = this.entries;
    const candidates = this.candidates;
    if (this.asciiOnly && text.length >= BYTE_SCAN_MIN_LENGTH && text.length <= BYTE_SCAN_MAX_LENGTH) {
      const finder = this.wasmPlan !== undefined || this.readyToPlan(text) ? wasmKeywordFinder() : null;
      if (finder !== null) {
        this.wasmPlan ??= this.planForWasm();
        const found = finder.find(this.wasmPlan, text);
        for (let at = 0; at < found.length; at += 2) {
          const keyword = found[at] as number;
          const start = found[at + 1] as number;
          if (this.occursAt(text, keyword, start)) hits.push(keyword, start);
        }
        return;
      }
      const { bytes, pairs } = oneByteCopy(text);
      this.rawEntries ??= rawPairTable(entries);
      const rawEntries = this.rawEntries;
      const end = (text.length + 1) >> 1;
      for (
        let pair = nextCandidateInPairs(pairs, bytes, 0, end, rawEntries, candidates);
        pair >= 0;
        pair = nextCandidateInPairs(pairs, bytes, pair + 1, end, rawEntries, candidates)
      ) {
        this.compare(text, 2 * pair, rawEntries[pairs[pair] as number] as number, hits);
      }
      return;
    }
    for (
      let position = nextCandidate(text, 0, entries, candidates);
      position >= 0;
      position = nextCandidate(text, position + 2, entries, candidates)
    ) {
      this.compare(text, position, entries[pairAt(text, position)] as number, hits);
    }
  }

  /** Counts a long text toward planning the WebAssembly search; true once enough were read. */
  private readyToPlan(text: string): boolean {
    this.charactersBeforePlan -= text.length;
    return this.charactersBeforePlan < 0;
  }

  private planForWasm(): WasmKeywordPlan {
    const codes = this.keywords.map((_, keyword) => this.codes.subarray(this.codeStarts[keyword], this.codeStarts[keyword + 1]));
    return { buckets: planKeywordBuckets(codes), codes };
  }

  /**
   * Whether the folded codes of `keyword` match `text` at `start` (which leaves room for it).
   * For an ASCII keyword that is an occurrence; the codes of a keyword with other characters
   * hold 0 for them, which any character outside ASCII matches, and its expression decides.
   */
  private occursAt(text: string, keyword: number, start: number): boolean {
    const codes = this.codes;
    const from = this.codeStarts[keyword] as number;
    const end = this.codeStarts[keyword + 1] as number;
    for (let at = from; at < end; at++) {
      if (FOLD[charCodeAt.call(text, start + at - from)] !== codes[at]) return false;
    }
    return true;
  }

  private compare(text: string, position: number, entry: number, hits: KeywordHits): void {
    const candidates = this.candidates;
    const codeStarts = this.codeStarts;
    const end = entry + 5 + 2 * (candidates[entry] as number);
    for (let at = entry + 5; at < end; at += 2) {
      const keyword = candidates[at] as number;
      const start = position - (candidates[at + 1] as number);
      const length = (codeStarts[keyword + 1] as number) - (codeStarts[keyword] as number);
      if (start < 0 || start + length > text.length || !this.occursAt(text, keyword, start)) continue;
      const pattern = this.nonAscii[keyword];
      if (pattern !== undefined) {
        // The codes compared above hold 0 for each character outside ASCII.
        pattern.lastIndex = start;
        if (!pattern.test(text)) continue;
      }
      hits.push(keyword, start);
    }
  }
}
