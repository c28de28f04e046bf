import { describe, expect, it } from 'vitest';
import { escapedLength, escapeJsonBytes, MAX_ESCAPE_GROWTH } from '../src/reader/json-escape-bytes.js';

/** What `JSON.stringify` writes between the quotes, as UTF-8. */
function expected(text: string): Buffer {
  return Buffer.from(JSON.stringify(text).slice(1, -1), 'utf8');
}

/** `text` escaped by the byte escaper, written at `at` into a buffer with junk around it. */
function escaped(text: string, at = 0): Buffer {
  const src = Buffer.from(text, 'utf8');
  const dst = Buffer.alloc(at + src.length * MAX_ESCAPE_GROWTH + 8, 0xee);
  const end = escapeJsonBytes(src, src.length, dst, at);
  expect(end - at).toBe(escapedLength(src, src.length));
  return dst.subarray(at, end);
}

describe('escapeJsonBytes', () => {
  it('escapes every character below 0x80 as JSON.stringify does', () => {
    for (let code = 0; code < 0x80; code += 1) {
      const char = String.fromCharCode(code);
      expect(escaped(char).equals(expected(char)), `U+${code.toString(16)}`).toBe(true);
    }
  });

  it('finds an escaped byte at each position of a four-byte word, and in the tail after the last word', () => {
    for (const special of ['"', '\\', '\n', '\u0000', '\u001f', '\u0008']) {
      for (let length = 1; length <= 13; length += 1) {
        for (let at = 0; at < length; at += 1) {
          const text = `${'a'.repeat(at)}${special}${'b'.repeat(length - at - 1)}`;
          expect(escaped(text).equals(expected(text)), JSON.stringify(text)).toBe(true);
        }
      }
    }
  });

  it('copies the bytes of non-ASCII characters, U+2028 and DEL unchanged', () => {
    const text = 'é ü ß 中文 日本語 😀 🇫🇷 \u2028 \u2029 \u007f \u0080 \uffff end';
    expect(escaped(text).equals(expected(text))).toBe(true);
  });

  it('writes from any offset of the target, leaving the bytes around it alone', () => {
    const text = 'tab\there, "quoted" and \\ back\r\n';
    const src = Buffer.from(text, 'utf8');
    const dst = Buffer.alloc(64, 0xee);
    const end = escapeJsonBytes(src, src.length, dst, 3);
    expect(dst.subarray(3, end).equals(expected(text))).toBe(true);
    expect([...dst.subarray(0, 3), ...dst.subarray(end)].every((byte) => byte === 0xee)).toBe(true);
  });

  it('escapes only the first `length` bytes of its source', () => {
    const src = Buffer.from('ab"cd\nef', 'utf8');
    const dst = Buffer.alloc(32);
    expect(dst.subarray(0, escapeJsonBytes(src, 3, dst, 0)).toString('utf8')).toBe('ab\\"');
    expect(escapedLength(src, 3)).toBe(4);
  });

  it('matches JSON.stringify on random text of every kind of character', () => {
    // A fixed seed: the same strings on every run.
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = ['a', 'Z', ' ', '"', '\\', '\n', '\t', '\u0001', '\u001b', '\u007f', 'é', '中', '😀', '\u2028', '/'];
    for (let round = 0; round < 200; round += 1) {
      let text = '';
      const length = random(300);
      for (let i = 0; i < length; i += 1) text += alphabet[random(alphabet.length)];
      expect(escaped(text, random(5)).equals(expected(text)), JSON.stringify(text)).toBe(true);
    }
  });
});
