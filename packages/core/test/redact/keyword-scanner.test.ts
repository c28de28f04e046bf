import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { builtinRedactionRules } from '../../src/index.js';
import { seededRandom } from '../../src/reader/selection.js';
import type * as ScannerModule from '../../src/redact/keyword-scanner.js';
import { FIXTURES } from './fixture-rows.js';

let KeywordHits: typeof ScannerModule.KeywordHits;
let KeywordScanner: typeof ScannerModule.KeywordScanner;

/** Every (keyword, start) where the keyword occurs, as a case-insensitive regular expression finds it. */
function naiveHits(keywords: readonly string[], text: string): string[] {
  const found: string[] = [];
  keywords.forEach((keyword, index) => {
    const pattern = new RegExp(keyword.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'), 'iy');
    for (let start = 0; start < text.length; start++) {
      pattern.lastIndex = start;
      if (pattern.test(text)) found.push(`${index}@${start}`);
    }
  });
  return found.sort();
}

/** As {@link naiveHits}, by one global search per keyword: fast enough for long texts. */
function regexHits(keywords: readonly string[], text: string): string[] {
  const found: string[] = [];
  keywords.forEach((keyword, index) => {
    const pattern = new RegExp(`(?=${keyword.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')})`, 'gi');
    for (const match of text.matchAll(pattern)) found.push(`${index}@${match.index}`);
  });
  return found.sort();
}

/** Every string of at least `minLength` characters in the JSON lines of the files under `dir`. */
function fixtureStrings(dir: string, minLength: number): string[] {
  const strings: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length >= minLength) strings.push(value);
    } else if (Array.isArray(value)) value.forEach(collect);
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
  };
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.jsonl')) continue;
    for (const line of readFileSync(path.join(entry.parentPath, entry.name), 'utf8').split('\n')) {
      if (line.trim() !== '') collect(JSON.parse(line));
    }
  }
  return strings;
}

/** A scanner that plans its WebAssembly search on its first long text (where it can run). */
function newScanner(keywords: readonly string[]): ScannerModule.KeywordScanner {
  return new KeywordScanner(keywords, 0);
}

function scannerHits(keywords: readonly string[], text: string, scanner = newScanner(keywords)): string[] {
  const hits = new KeywordHits();
  scanner.scan(text, hits);
  const found: string[] = [];
  for (let hit = 0; hit < hits.count; hit++) found.push(`${hits.data[2 * hit]}@${hits.data[2 * hit + 1]}`);
  return found.sort();
}

// Long texts are searched by WebAssembly where the engine runs it, else in JS: both ways.
describe.each([
  ['with WebAssembly SIMD', true],
  ['without WebAssembly', false],
])('keyword scanner %s', (_, withWasm) => {
  beforeAll(async () => {
    vi.resetModules();
    if (withWasm) vi.doUnmock('../../src/redact/keyword-scan-wasm.js');
    else
      vi.doMock('../../src/redact/keyword-scan-wasm.js', async (importOriginal) => ({
        ...(await importOriginal<typeof import('../../src/redact/keyword-scan-wasm.js')>()),
        wasmKeywordFinder: () => null,
      }));
    const finder = await import('../../src/redact/keyword-scan-wasm.js');
    expect(finder.wasmKeywordFinder() !== null).toBe(withWasm);
    ({ KeywordHits, KeywordScanner } = await import('../../src/redact/keyword-scanner.js'));
  });

  const builtinKeywords = [...new Set(builtinRedactionRules().flatMap((rule) => rule.keywords))];

  test('finds every occurrence of the built-in keywords, at odd and even starts, in any case, at the ends', () => {
    const text = 'xTOKEN=1 Key ghp_ sk-ant-api03 at end: SK-ANT-API03-x; Private Key-----, q~Q~ "hooks.slack.com" AKIAsk-token';
    expect(scannerHits(builtinKeywords, text)).toEqual(naiveHits(builtinKeywords, text));
    for (let shift = 0; shift < 3; shift++) {
      const shifted = `${'_'.repeat(shift)}${text}`;
      expect(scannerHits(builtinKeywords, shifted)).toEqual(naiveHits(builtinKeywords, shifted));
    }
  });

  test('keywords of one and two characters, overlapping keywords, and keywords outside ASCII', () => {
    const keywords = ['x', 'q~', 'aa', 'aaa', 'josé', '/home/zoë', 'ab'];
    for (const text of ['x', 'xx', 'q~', 'aq~', 'aaaaa', 'JOSÉ and josé', '/HOME/ZOË/x', 'é', 'abab', 'zx']) {
      expect(scannerHits(keywords, text), text).toEqual(naiveHits(keywords, text));
    }
  });

  test('scans long texts one byte per character without finding keywords in other characters', () => {
    // ū ť Ź ŋ have the low bytes of k e y K; 0x4B/0x6B-like bytes must not make a "key".
    const lookalikes = 'ūťŹŋ';
    const next = seededRandom(11);
    const alphabet = `kKeEyYtToOnN_-=: \n${lookalikes}é😀0`;
    expect(scannerHits(builtinKeywords, `${'ūťŹ '.repeat(40)}`)).toEqual([]);
    for (let round = 0; round < 100; round++) {
      const length = 64 + Math.floor(next() * 300);
      let text = '';
      while (text.length < length) {
        text +=
          next() < 0.05
            ? (builtinKeywords[Math.floor(next() * builtinKeywords.length)] as string).toUpperCase()
            : (alphabet[Math.floor(next() * alphabet.length)] as string);
      }
      expect(scannerHits(builtinKeywords, text), JSON.stringify(text)).toEqual(naiveHits(builtinKeywords, text));
    }
  });

  test('long texts of odd and even length find the keywords that end them, after a longer text', () => {
    const keywords = [...builtinKeywords, 'x', 'q~'];
    const filler = 'The quick brown fox jumps over the lazy dog. '.repeat(3);
    for (const ending of ['token', 'TOKEN=', 'x', 'q~', 'tok', 'to', 't', 'k']) {
      for (let pad = 0; pad < 4; pad++) {
        // Scanned after a longer text whose bytes stay in the shared copy past this one's end.
        const longer = `${filler}${'.'.repeat(pad)}${ending}secret token`;
        const text = `${filler}${'.'.repeat(pad)}${ending}`;
        expect(text.length).toBeGreaterThanOrEqual(64);
        expect(scannerHits(keywords, longer), longer).toEqual(naiveHits(keywords, longer));
        expect(scannerHits(keywords, text), text).toEqual(naiveHits(keywords, text));
      }
    }
  });

  test('matches a case-insensitive regular expression on random texts', () => {
    const next = seededRandom(7);
    const alphabet = 'aAbBkKeEyYtToOnN_-=:/ \n~qQ.é€😀0123';
    const keywords = [...builtinKeywords, 'k', 'é', 'ké', 'to€'];
    for (let round = 0; round < 200; round++) {
      const length = Math.floor(next() * 60);
      let text = '';
      for (let i = 0; i < length; i++) {
        // Mostly single characters, sometimes a whole keyword, so that hits are frequent.
        text +=
          next() < 0.15
            ? (keywords[Math.floor(next() * keywords.length)] as string).toUpperCase()
            : (alphabet[Math.floor(next() * alphabet.length)] as string);
      }
      expect(scannerHits(keywords, text), JSON.stringify(text)).toEqual(naiveHits(keywords, text));
    }
  });

  test('finds what a regular expression finds in every long string of the redaction fixtures', () => {
    const keywords = [...builtinKeywords, '/home/', '-home-', '/home/dana', 'dana'];
    const scanner = newScanner(keywords);
    const strings = fixtureStrings(FIXTURES, 64);
    expect(strings.length).toBeGreaterThan(300);
    let hits = 0;
    for (const text of strings) {
      const expected = regexHits(keywords, text);
      hits += expected.length;
      expect(scannerHits(keywords, text, scanner), text.slice(0, 80)).toEqual(expected);
    }
    // The fixtures hold planted secrets: the comparison covers many hits, not only clean texts.
    expect(hits).toBeGreaterThan(400);
  });

  test('a keyword at every start across sixteen-character steps, up to the last character', () => {
    const keywords = ['token', 'q~', 'x', 'sk-ant-'];
    const scanner = newScanner(keywords);
    for (const keyword of ['token', 'TOKEN', 'q~', 'X', 'sk-ant-']) {
      for (let length = 64; length <= 100; length++) {
        for (let start = 0; start + keyword.length <= length; start += 7) {
          const text = `${'.'.repeat(start)}${keyword}${'.'.repeat(length - start - keyword.length)}`;
          expect(scannerHits(keywords, text, scanner), text).toEqual(naiveHits(keywords, text));
        }
        const atEnd = `${'.'.repeat(length - keyword.length)}${keyword}`;
        expect(scannerHits(keywords, atEnd, scanner), atEnd).toEqual(naiveHits(keywords, atEnd));
      }
    }
  });

  test('a text with thousands of hits', () => {
    const keywords = ['key', 'ey', 'secret'];
    const text = 'key=secret; '.repeat(3000);
    const found = scannerHits(keywords, text);
    expect(found).toHaveLength(9000);
    expect(found).toEqual(regexHits(keywords, text));
  });

  test('scanners with different keywords, one after the other, each find their own', () => {
    const first = ['token', 'secret'];
    const second = ['password', 'tok', 'ghp_'];
    const one = newScanner(first);
    const two = newScanner(second);
    const text = `${'The quick brown fox jumps over the lazy dog. '.repeat(2)}token ghp_x password SECRET tok`;
    for (let round = 0; round < 3; round++) {
      expect(scannerHits(first, text, one)).toEqual(naiveHits(first, text));
      expect(scannerHits(second, text, two)).toEqual(naiveHits(second, text));
    }
  });

  test('a scanner reads its first megabyte of long texts by pairs, then plans the module', async () => {
    const { wasmKeywordFinder } = await import('../../src/redact/keyword-scan-wasm.js');
    const finder = wasmKeywordFinder();
    const keywords = ['token', 'secret'];
    const scanner = new KeywordScanner(keywords);
    const text = `${'The quick brown fox jumps over the lazy dog. '.repeat(2000)}token`;
    const find = finder === null ? undefined : vi.spyOn(finder, 'find');
    try {
      const expected = naiveHits(keywords, text);
      // 90,005 characters a text: the 12th passes a megabyte.
      for (let round = 1; round <= 12; round++) {
        expect(scannerHits(keywords, text, scanner)).toEqual(expected);
        expect(find?.mock.calls.length ?? 0, `text ${round}`).toBe(withWasm && round === 12 ? 1 : 0);
      }
    } finally {
      find?.mockRestore();
    }
  });

  test('a text shorter than every keyword is not read', () => {
    expect(new KeywordScanner(['token', 'secret']).minLength).toBe(5);
    expect(scannerHits(['token'], 'toke')).toEqual([]);
  });
});
