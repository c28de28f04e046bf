import { describe, expect, it } from 'vitest';
import { escapedLength, escapeJsonBytes, MAX_ESCAPE_GROWTH } from '../src/reader/json-escape-bytes.js';
import { WASM_ESCAPE_MAX_UNITS, wasmEscaper } from '../src/reader/json-escape-wasm.js';
import { JSON_ESCAPE_WASM } from '../src/reader/json-escape-wasm-module.js';
import { compileWat } from './helpers/compiled-wat.js';

/** What `JSON.stringify` writes between the quotes, as UTF-8. */
function expected(text: string): Buffer {
  return Buffer.from(JSON.stringify(text).slice(1, -1), 'utf8');
}

/** `text` escaped by the JS byte escaper, written at `at` into a buffer with junk around it. */
function escapedInJs(text: string, at = 0): Buffer {
  const src = Buffer.from(text, 'utf8');
  const dst = Buffer.alloc(at + src.length * MAX_ESCAPE_GROWTH + 8, 0xee);
  const end = escapeJsonBytes(src, src.length, dst, at);
  expect(end - at).toBe(escapedLength(src, src.length));
  return dst.subarray(at, end);
}

function escapedInWasm(text: string): Buffer {
  const escaper = wasmEscaper();
  if (escaper === null) throw new Error('WebAssembly SIMD did not load');
  const escaped = escaper.escape(text);
  if (escaped === undefined) throw new Error(`no bytes for ${JSON.stringify(text)}`);
  return Buffer.from(escaped);
}

/** A fixed seed: the same strings on every run. */
function randomTexts(rounds: number, maxLength: number, more: string[] = []): string[] {
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = ['a', 'Z', ' ', '"', '\\', '\n', '\t', '\u0001', '\u001b', '\u007f', 'é', '中', '😀', '\u2028', '/', ...more];
  const texts: string[] = [];
  for (let round = 0; round < rounds; round += 1) {
    let text = '';
    const length = random(maxLength);
    for (let i = 0; i < length; i += 1) text += alphabet[random(alphabet.length)];
    texts.push(text);
  }
  return texts;
}

describe.each([
  ['escapeJsonBytes (JS, four bytes at a time)', (text: string) => escapedInJs(text)],
  ['the WebAssembly SIMD escaper (sixteen at a time)', escapedInWasm],
])('%s', (_, escaped) => {
  it('escapes every character below 0x80 as JSON.stringify does', () => {
    for (let code = 0; code < 0x80; code += 1) {
      const char = String.fromCharCode(code);
      expect(escaped(char).equals(expected(char)), `U+${code.toString(16)}`).toBe(true);
    }
  });

  it('finds an escaped byte at each position of a block, and in the tail after the last block', () => {
    for (const special of ['"', '\\', '\n', '\u0000', '\u001f', '\u0008']) {
      for (let length = 1; length <= 40; length += 1) {
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

  it('matches JSON.stringify on random text of every kind of character', () => {
    for (const text of randomTexts(300, 300)) expect(escaped(text).equals(expected(text)), JSON.stringify(text)).toBe(true);
  });

  it('escapes the longest slice json-writer gives it at its worst and at its most bytes', () => {
    for (const unit of ['\u0001', '中', 'a"\n\u001f']) {
      const text = unit.repeat(WASM_ESCAPE_MAX_UNITS / unit.length);
      expect(text.length).toBe(WASM_ESCAPE_MAX_UNITS);
      expect(escaped(text).equals(expected(text))).toBe(true);
    }
  });
});

describe('escapeJsonBytes', () => {
  it('writes from any offset of the target, leaving the bytes around it alone', () => {
    const text = 'tab\there, "quoted" and \\ back\r\n';
    const src = Buffer.from(text, 'utf8');
    const dst = Buffer.alloc(64, 0xee);
    const end = escapeJsonBytes(src, src.length, dst, 3);
    expect(dst.subarray(3, end).equals(expected(text))).toBe(true);
    expect([...dst.subarray(0, 3), ...dst.subarray(end)].every((byte) => byte === 0xee)).toBe(true);
    expect(escapedInJs(text, 5).equals(expected(text))).toBe(true);
  });

  it('escapes only the first `length` bytes of its source', () => {
    const src = Buffer.from('ab"cd\nef', 'utf8');
    const dst = Buffer.alloc(32);
    expect(dst.subarray(0, escapeJsonBytes(src, 3, dst, 0)).toString('utf8')).toBe('ab\\"');
    expect(escapedLength(src, 3)).toBe(4);
  });
});

describe('the WebAssembly SIMD escaper', () => {
  it('loads on the Node versions the package supports', () => {
    expect(wasmEscaper()).not.toBeNull();
  });

  it('refuses text longer than its input can hold instead of cutting it short', () => {
    const escaper = wasmEscaper();
    expect(() => escaper?.escape('x'.repeat(WASM_ESCAPE_MAX_UNITS + 1))).toThrow(RangeError);
  });

  it('escapes a lone surrogate as JSON.stringify does, wherever it is, and encodes pairs at every position', () => {
    for (const unit of ['\ud800', '\udbff', '\udc00', '\udfff', '\udc00\ud800', '\ud83d\ude00', '\ud83d', 'x\udc00y']) {
      for (let at = 0; at <= 40; at += 1) {
        for (const after of ['', 'b', 'b'.repeat(20)]) {
          const text = `${'a'.repeat(at)}${unit}${after}`;
          expect(escapedInWasm(text).equals(expected(text)), JSON.stringify(text)).toBe(true);
        }
      }
    }
  });

  it('matches JSON.stringify on random text with lone surrogates among every kind of character', () => {
    for (const text of randomTexts(300, 300, ['\ud800', '\udfff'])) {
      expect(escapedInWasm(text).equals(expected(text)), JSON.stringify(text)).toBe(true);
    }
  });

  it('encodes every character of the Basic Multilingual Plane as JSON.stringify does', () => {
    const units: string[] = [];
    for (let code = 0; code <= 0xffff; code += 1) units.push(String.fromCharCode(code));
    // In slices of the longest text it takes; each lone surrogate alone, as the whole is well-formed only in parts.
    const all = units.join('');
    for (let start = 0; start < all.length; start += WASM_ESCAPE_MAX_UNITS) {
      const slice = all.slice(start, start + WASM_ESCAPE_MAX_UNITS);
      expect(escapedInWasm(slice).equals(expected(slice)), `from U+${start.toString(16)}`).toBe(true);
    }
  });

  it('leaves no trace of one text in the next', () => {
    const long = `${'"'.repeat(5000)}end`;
    expect(escapedInWasm(long).equals(expected(long))).toBe(true);
    expect(escapedInWasm('short').toString('utf8')).toBe('short');
  });

  it('is the compiled json-escape.wat (run pnpm build:wasm after changing it)', async () => {
    expect(await compileWat(new URL('../src/reader/json-escape.wat', import.meta.url))).toBe(JSON_ESCAPE_WASM);
  });
});
