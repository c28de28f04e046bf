/**
 * How keyword-scan.wat finds many keywords at once: each keyword is given a window of up to
 * {@link WINDOW} of its characters and one of {@link BUCKETS} buckets. For each window position
 * and bucket, the module knows which low and which high nibbles (half bytes) the bucket's
 * keywords have there; a text position whose next four bytes pass them is a candidate for the
 * bucket's keywords, which are then compared in full.
 *
 * A bucket's nibble sets let through every byte that combines one of its low nibbles with one
 * of its high nibbles, so keywords with similar windows belong together, and common windows
 * apart. The plan picks each keyword's rarest window and then the buckets, by a rough model of
 * how often each byte occurs in prose, code and logs; a poor plan costs time, never a hit.
 */

import { characterWeight } from './character-weight.js';

/** Characters per window: the module tests four positions. */
export const WINDOW = 4;
/** Buckets: the module tests two halves of eight. */
export const BUCKETS = 16;

/** A keyword in a bucket: compared in full at `position - offset` when its bucket passes at `position`. */
export interface BucketKeyword {
  /** Its index in the scanner's keyword list. */
  keyword: number;
  /** Where its window starts in it. */
  offset: number;
}

export interface KeywordBucketPlan {
  /**
   * The module's masks, 256 bytes: for window position k and half h (buckets 0-7, 8-15), the
   * low-nibble mask at `64k + 32h` and the high-nibble mask 16 bytes after it; bit b of byte n
   * is set when bucket `8h + b` lets nibble n through at k.
   */
  masks: Uint8Array;
  /** The keywords of each bucket. */
  buckets: BucketKeyword[][];
}

/**
 * A byte's rough weight in the text the scan reads (the low byte of each UTF-16 unit): a
 * letter's weight split nine to one between lower and upper case, the low bytes of characters
 * outside ASCII spread thin, NUL as rare as other control characters.
 */
function byteWeight(byte: number): number {
  if (byte >= 128) return 0.05;
  if (byte === 0) return 0.5;
  const lower = byte >= 65 && byte <= 90 ? byte | 32 : byte;
  const weight = characterWeight(lower);
  if (lower >= 97 && lower <= 122) return byte === lower ? weight * 0.9 : weight * 0.1;
  return weight;
}

/** Each byte's share of text, by `byteWeight`: `FREQUENCY[high * 16 + low]`. */
const FREQUENCY = (() => {
  const weights = Array.from({ length: 256 }, (_, byte) => byteWeight(byte));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return Float64Array.from(weights, (weight) => weight / total);
})();

/**
 * The share of text of the bytes with high nibble h and a low nibble in a set, looked up by the
 * set's two halves: `SHARE_BY_LOW_HALF[h * 256 + (set & 255)] + SHARE_BY_HIGH_HALF[h * 256 + (set >> 8)]`.
 */
const SHARE_BY_LOW_HALF = new Float64Array(16 * 256);
const SHARE_BY_HIGH_HALF = new Float64Array(16 * 256);
for (let high = 0; high < 16; high++) {
  for (let half = 0; half < 256; half++) {
    for (let bit = 0; bit < 8; bit++) {
      if ((half & (1 << bit)) === 0) continue;
      SHARE_BY_LOW_HALF[high * 256 + half] = (SHARE_BY_LOW_HALF[high * 256 + half] as number) + (FREQUENCY[high * 16 + bit] as number);
      SHARE_BY_HIGH_HALF[high * 256 + half] =
        (SHARE_BY_HIGH_HALF[high * 256 + half] as number) + (FREQUENCY[high * 16 + 8 + bit] as number);
    }
  }
}

/** The bytes a folded keyword character stands for: both cases of a letter. */
function caseVariants(code: number): number[] {
  return code >= 97 && code <= 122 ? [code, code - 32] : [code];
}

/**
 * The nibbles a keyword's window, or a bucket, lets through at each window position, as 16-bit
 * sets: the low nibbles of position k at k, the high nibbles at `WINDOW + k`.
 */
type Nibbles = Uint16Array;

/** A keyword's window as nibble sets; a position past its end lets every nibble through. */
function windowNibbles(codes: Uint8Array, offset: number): Nibbles {
  const nibbles = new Uint16Array(2 * WINDOW);
  for (let k = 0; k < WINDOW; k++) {
    if (offset + k >= codes.length) {
      nibbles[k] = 0xffff;
      nibbles[WINDOW + k] = 0xffff;
      continue;
    }
    for (const byte of caseVariants(codes[offset + k] as number)) {
      nibbles[k] = (nibbles[k] as number) | (1 << (byte & 15));
      nibbles[WINDOW + k] = (nibbles[WINDOW + k] as number) | (1 << (byte >> 4));
    }
  }
  return nibbles;
}

function unionOf(sets: readonly Nibbles[]): Nibbles {
  const union = new Uint16Array(2 * WINDOW);
  for (const set of sets) for (let i = 0; i < union.length; i++) union[i] = (union[i] as number) | (set[i] as number);
  return union;
}

/**
 * The share of text positions that nibble sets let through, by the model; with `more`, those
 * of the union of both (a bucket with one more keyword). Empty sets let nothing through.
 */
function passRate(nibbles: Nibbles, more?: Nibbles): number {
  let rate = 1;
  for (let k = 0; k < WINDOW; k++) {
    const low = (nibbles[k] as number) | (more?.[k] ?? 0);
    const high = (nibbles[WINDOW + k] as number) | (more?.[WINDOW + k] ?? 0);
    if (low === 0xffff && high === 0xffff) continue;
    let share = 0;
    for (let h = 0; h < 16; h++) {
      if ((high & (1 << h)) === 0) continue;
      share += (SHARE_BY_LOW_HALF[h * 256 + (low & 255)] as number) + (SHARE_BY_HIGH_HALF[h * 256 + (low >> 8)] as number);
    }
    rate *= share;
  }
  return rate;
}

/** The window of a keyword the model finds rarest. */
function rarestWindow(codes: Uint8Array): number {
  let best = 0;
  let bestRate = Number.POSITIVE_INFINITY;
  for (let offset = 0; offset === 0 || offset + WINDOW <= codes.length; offset++) {
    const rate = passRate(windowNibbles(codes, offset));
    if (rate < bestRate) {
      best = offset;
      bestRate = rate;
    }
  }
  return best;
}

/** Rounds of moving single keywords to a better bucket; more found little on real keyword lists. */
const IMPROVING_ROUNDS = 3;

interface Member extends BucketKeyword {
  nibbles: Nibbles;
  windowLength: number;
}

class Bucket {
  members: Member[] = [];
  nibbles: Nibbles = new Uint16Array(2 * WINDOW);
  rate = 0;

  set(members: Member[]): void {
    this.members = members;
    this.nibbles = unionOf(members.map((member) => member.nibbles));
    this.rate = members.length === 0 ? 0 : passRate(this.nibbles);
  }
}

/** The plan for keywords given as folded ASCII codes (see the scanner). */
export function planKeywordBuckets(keywords: readonly Uint8Array[]): KeywordBucketPlan {
  const members: Member[] = keywords.map((codes, keyword) => {
    const offset = rarestWindow(codes);
    return { keyword, offset, nibbles: windowNibbles(codes, offset), windowLength: Math.min(WINDOW, codes.length - offset) };
  });
  const buckets = Array.from({ length: BUCKETS }, () => new Bucket());

  // The shortest windows first (they let most through), each where it adds the fewest compares.
  const byWindow = [...members].sort((a, b) => a.windowLength - b.windowLength || a.keyword - b.keyword);
  for (const member of byWindow) {
    let best = buckets[0] as Bucket;
    let bestCost = Number.POSITIVE_INFINITY;
    for (const bucket of buckets) {
      const count = bucket.members.length;
      const cost = passRate(bucket.nibbles, member.nibbles) * (count + 1) - bucket.rate * count;
      if (cost < bestCost) {
        best = bucket;
        bestCost = cost;
      }
    }
    best.set([...best.members, member]);
  }

  // Then move single keywords where the buckets' total pass rate drops.
  for (let round = 0; round < IMPROVING_ROUNDS; round++) {
    let moved = false;
    for (const from of buckets) {
      for (const member of [...from.members]) {
        const rest = from.members.filter((other) => other !== member);
        const saved = from.rate - (rest.length === 0 ? 0 : passRate(unionOf(rest.map((other) => other.nibbles))));
        let best: Bucket | undefined;
        let bestGain = 0;
        for (const to of buckets) {
          if (to === from) continue;
          const gain = saved - (passRate(to.nibbles, member.nibbles) - to.rate);
          if (gain > bestGain) {
            best = to;
            bestGain = gain;
          }
        }
        if (best !== undefined) {
          from.set(rest);
          best.set([...best.members, member]);
          moved = true;
        }
      }
    }
    if (!moved) break;
  }

  const masks = new Uint8Array(256);
  buckets.forEach((bucket, index) => {
    const bit = 1 << (index & 7);
    const half = index >> 3;
    for (let k = 0; k < WINDOW; k++) {
      for (let nibble = 0; nibble < 16; nibble++) {
        const at = 64 * k + 32 * half + nibble;
        if (((bucket.nibbles[k] as number) & (1 << nibble)) !== 0) masks[at] = (masks[at] as number) | bit;
        if (((bucket.nibbles[WINDOW + k] as number) & (1 << nibble)) !== 0) masks[at + 16] = (masks[at + 16] as number) | bit;
      }
    }
  });
  return { masks, buckets: buckets.map((bucket) => bucket.members.map(({ keyword, offset }) => ({ keyword, offset }))) };
}
