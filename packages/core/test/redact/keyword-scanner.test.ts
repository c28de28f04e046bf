import { describe, expect, test } from 'vitest';
import { builtinRedactionRules } from '../../src/index.js';
import { seededRandom } from '../../src/reader/selection.js';
import { KeywordHits, KeywordScanner } from '../../src/redact/keyword-scanner.js';

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

function scannerHits(keywords: readonly string[], text: string): string[] {
  const hits = new KeywordHits();
  new KeywordScanner(keywords).scan(text, hits);
  const found: string[] = [];
  for (let hit = 0; hit < hits.count; hit++) found.push(`${hits.data[2 * hit]}@${hits.data[2 * hit + 1]}`);
  return found.sort();
}

describe('keyword scanner', () => {
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

  test('a text shorter than every keyword is not read', () => {
    expect(new KeywordScanner(['token', 'secret']).minLength).toBe(5);
    expect(scannerHits(['token'], 'toke')).toEqual([]);
  });
});
