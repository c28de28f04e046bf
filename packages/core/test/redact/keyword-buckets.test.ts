import { describe, expect, it } from 'vitest';
import { builtinRedactionRules } from '../../src/index.js';
import { BUCKETS, planKeywordBuckets, WINDOW } from '../../src/redact/keyword-buckets.js';
import { KEYWORD_SCAN_WASM } from '../../src/redact/keyword-scan-wasm-module.js';
import { compileWat } from '../helpers/compiled-wat.js';

function folded(keyword: string): Uint8Array {
  return Uint8Array.from(keyword, (char) => {
    const code = char.charCodeAt(0);
    return code >= 65 && code <= 90 ? code | 32 : code;
  });
}

/** Whether the plan's masks let `bytes` through at window position k for bucket `bucket`. */
function passes(masks: Uint8Array, bucket: number, k: number, byte: number): boolean {
  const at = 64 * k + 32 * (bucket >> 3);
  const bit = 1 << (bucket & 7);
  return ((masks[at + (byte & 15)] as number) & bit) !== 0 && ((masks[at + 16 + (byte >> 4)] as number) & bit) !== 0;
}

describe('keyword buckets', () => {
  const keywords = [
    ...new Set(builtinRedactionRules().flatMap((rule) => rule.keywords)),
    '/home/',
    '-home-',
    '/home/dana',
    'dana',
    'x',
    'q~',
  ];
  const codes = keywords.map(folded);
  const plan = planKeywordBuckets(codes);

  it('puts every keyword in exactly one bucket, with a window inside it', () => {
    expect(plan.buckets).toHaveLength(BUCKETS);
    const placed = plan.buckets.flat();
    expect(placed.map((member) => member.keyword).sort((a, b) => a - b)).toEqual(keywords.map((_, index) => index));
    for (const { keyword, offset } of placed) {
      const length = (codes[keyword] as Uint8Array).length;
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset === 0 || offset + WINDOW <= length, keywords[keyword]).toBe(true);
    }
  });

  it("lets each keyword's window through its bucket's masks, in lower and upper case", () => {
    plan.buckets.forEach((bucket, index) => {
      for (const { keyword, offset } of bucket) {
        const word = codes[keyword] as Uint8Array;
        for (let k = 0; k < WINDOW; k++) {
          if (offset + k >= word.length) {
            // Past a short keyword's end, any byte may follow.
            for (let byte = 0; byte < 256; byte++) expect(passes(plan.masks, index, k, byte)).toBe(true);
            continue;
          }
          const code = word[offset + k] as number;
          expect(passes(plan.masks, index, k, code), keywords[keyword]).toBe(true);
          if (code >= 97 && code <= 122) expect(passes(plan.masks, index, k, code - 32), keywords[keyword]).toBe(true);
        }
      }
    });
  });

  it('picks a rare window of a long keyword, and spreads keywords over the buckets', () => {
    const keyword = 'private key block-----';
    const member = plan.buckets.flat().find((placed) => keywords[placed.keyword] === keyword);
    const window = keyword.slice(member?.offset, (member?.offset ?? 0) + WINDOW);
    // Not common letters ("priv"), nor a run of dashes, which Markdown rules make common.
    expect(member?.offset).toBeGreaterThan(10);
    expect(window).not.toBe('----');
    expect(plan.buckets.filter((bucket) => bucket.length > 0).length).toBe(BUCKETS);
  });

  it('plans the same way every time', () => {
    expect(planKeywordBuckets(codes)).toEqual(plan);
  });

  it('is the compiled keyword-scan.wat (run pnpm build:wasm after changing it)', async () => {
    expect(await compileWat(new URL('../../src/redact/keyword-scan.wat', import.meta.url))).toBe(KEYWORD_SCAN_WASM);
  });
});
