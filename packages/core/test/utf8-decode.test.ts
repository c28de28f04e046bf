import { isUtf8 } from 'node:buffer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeUtf8 } from '../src/io/utf8-decode.js';
import { UTF8_DECODE_WASM } from '../src/io/utf8-decode-wasm-module.js';
import { seededRandom } from '../src/reader/selection.js';
import { compileWat } from './helpers/compiled-wat.js';

/** `bytes` placed between junk, decoded by `decodeUtf8` and by Node, which must agree. */
function expectSameAsNode(bytes: Buffer, label: string): void {
  const padded = Buffer.concat([Buffer.from('\xff\xffjunk', 'latin1'), bytes, Buffer.from('junk\xff', 'latin1')]);
  const start = 6;
  const end = start + bytes.length;
  const decoded = decodeUtf8(padded, start, end);
  expect(decoded.text, label).toBe(padded.toString('utf8', start, end));
  // Only bytes that are UTF-8 may be said to be.
  if (decoded.knownWellFormed) expect(isUtf8(bytes), label).toBe(true);
}

/** `pick(n)`: an integer below n from a fixed seed, the same on every run. */
function randomPicker(seed: number): (n: number) => number {
  const next = seededRandom(seed);
  return (n) => Math.floor(next() * n);
}

const characters = [
  'a',
  ' ',
  '"',
  '\\',
  '\n',
  'é',
  'ß',
  '中',
  '😀',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '\u007f',
  '\u0080',
  '\u07ff',
  '\u0800',
  '\uffff',
  '\u{10000}',
  '\u{10ffff}',
];

describe('decodeUtf8', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('decodes ASCII lines of every length around its thresholds as Node does', () => {
    for (const length of [0, 1, 15, 16, 17, 255, 256, 257, 4096, 70_000]) {
      expectSameAsNode(Buffer.from('{"k":"v"} '.repeat(length).slice(0, length)), `ASCII of ${length}`);
    }
  });

  it('decodes every kind of character at every position of a block', () => {
    for (const character of characters) {
      for (let at = 0; at < 40; at += 1) {
        const text = `${'x'.repeat(300 + at)}${character}${'y'.repeat(at % 17)}`;
        expectSameAsNode(Buffer.from(text, 'utf8'), `U+${character.codePointAt(0)?.toString(16)} after ${300 + at}`);
      }
    }
  });

  it('matches Node on random text of every kind of character', () => {
    const pick = randomPicker(11);
    for (let round = 0; round < 300; round += 1) {
      let text = '';
      const length = 256 + pick(2000);
      while (text.length < length) text += characters[pick(characters.length)];
      expectSameAsNode(Buffer.from(text, 'utf8'), `round ${round}`);
    }
  });

  it('transcodes well-formed lines itself and hands only the others to Node', () => {
    const nodeDecoder = vi.spyOn(Buffer.prototype as Buffer & { utf8Slice(start: number, end: number): string }, 'utf8Slice');
    const good = Buffer.from(`${'x'.repeat(300)}中😀é`, 'utf8');
    expect(decodeUtf8(good, 0, good.length)).toEqual({ text: `${'x'.repeat(300)}中😀é`, knownWellFormed: true });
    expect(nodeDecoder).not.toHaveBeenCalled();
    const bad = Buffer.concat([good, Buffer.from([0xc3])]);
    expect(decodeUtf8(bad, 0, bad.length)).toEqual({ text: `${'x'.repeat(300)}中😀é\ufffd`, knownWellFormed: false });
    expect(nodeDecoder).toHaveBeenCalledTimes(1);
    nodeDecoder.mockRestore();
  });

  it('leaves bytes that are not UTF-8 to Node, which puts U+FFFD in their place', () => {
    const bad = [
      [0x80],
      [0xbf],
      [0xc0, 0x80],
      [0xc1, 0xbf],
      [0xc3],
      [0xc3, 0x41],
      [0xe0, 0x80, 0x80],
      [0xe0, 0x9f, 0xbf],
      [0xed, 0xa0, 0x80],
      [0xed, 0xbf, 0xbf],
      [0xe4, 0xb8],
      [0xe4, 0x41, 0x41],
      [0xf0, 0x8f, 0xbf, 0xbf],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0xff],
      [0xf0, 0x9f, 0x98],
    ];
    for (const sequence of bad) {
      for (const after of [[], [0x41], Array(20).fill(0x42)]) {
        const bytes = Buffer.from([...Buffer.from('é'.repeat(150)), ...sequence, ...after]);
        expectSameAsNode(bytes, sequence.map((byte) => byte.toString(16)).join(' '));
        expect(decodeUtf8(bytes, 0, bytes.length)).toEqual({ text: expect.stringContaining('\ufffd'), knownWellFormed: false });
      }
    }
  });

  it('matches Node on random bytes, valid or not', () => {
    const pick = randomPicker(5);
    const valid = [[0x41], [0x0a], [0xc3, 0xa9], [0xe4, 0xb8, 0xad], [0xf0, 0x9f, 0x98, 0x80]];
    const invalid = [[0x80], [0xc3], [0xed, 0xa0, 0x80], [0xf8]];
    for (let round = 0; round < 300; round += 1) {
      const bytes: number[] = [];
      const length = 256 + pick(600);
      while (bytes.length < length) {
        const group = pick(20) === 0 ? invalid : valid;
        bytes.push(...(group[pick(group.length)] ?? []));
      }
      expectSameAsNode(Buffer.from(bytes), `round ${round}`);
    }
  });

  it('grows for long lines, leaves lines past a million bytes to Node, and keeps nothing of one line in the next', () => {
    for (const length of [200_000, 999_990, 1_500_000, 300]) {
      const text = `${'中'.repeat(Math.floor(length / 6))}${'a'.repeat(length - Math.floor(length / 6) * 3)}`;
      expect(Buffer.byteLength(text)).toBe(length);
      expectSameAsNode(Buffer.from(text, 'utf8'), `${length} bytes`);
    }
  });

  it('decodes as Node does where WebAssembly cannot run (node --jitless)', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const { decodeUtf8: withoutWasm } = await import('../src/io/utf8-decode.js');
    const bytes = Buffer.from(`${'é'.repeat(200)}\u2028 and ${'x'.repeat(100)}`, 'utf8');
    expect(withoutWasm(bytes, 0, bytes.length)).toEqual({ text: bytes.toString('utf8'), knownWellFormed: false });
  });

  it('is the compiled utf8-decode.wat (run pnpm build:wasm after changing it)', async () => {
    expect(await compileWat(new URL('../src/io/utf8-decode.wat', import.meta.url))).toBe(UTF8_DECODE_WASM);
  });
});
