import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as JsonWriter from '../src/reader/json-writer.js';
import { Utf8Chunks } from '../src/reader/utf8-chunks.js';

let writeJson: typeof JsonWriter.writeJson;

/** What the writer wrote for `value`, as text, or undefined when it wrote nothing. */
function written(value: unknown): string | undefined {
  const out = new Utf8Chunks();
  return writeJson(value, out) ? out.take().toString('utf8') : undefined;
}

/** A string of `length` units whose every slice border (16384 units) falls where `border` says. */
function longText(length: number, border: string): string {
  const filler = 'plain "quoted" \\ text\nwith é and 中 and tabs\t';
  let text = '';
  while (text.length < length) text += filler;
  text = text.slice(0, length);
  // Put `border` across each multiple of the slice length.
  for (let at = 16384 - 1; at + border.length < text.length; at += 16384) {
    text = text.slice(0, at) + border + text.slice(at + border.length);
  }
  return text;
}

// Long strings are escaped by WebAssembly where the engine runs it, else in JS: both ways.
describe.each([
  ['with WebAssembly SIMD', true],
  ['without WebAssembly', false],
])('writeJson %s', (_, withWasm) => {
  beforeAll(async () => {
    vi.resetModules();
    if (withWasm) vi.doUnmock('../src/reader/json-escape-wasm.js');
    else
      vi.doMock('../src/reader/json-escape-wasm.js', async (importOriginal) => ({
        ...(await importOriginal<typeof import('../src/reader/json-escape-wasm.js')>()),
        wasmEscaper: () => null,
      }));
    const escaper = await import('../src/reader/json-escape-wasm.js');
    expect(escaper.wasmEscaper() !== null).toBe(withWasm);
    ({ writeJson } = await import('../src/reader/json-writer.js'));
  });

  it.each([
    ['a surrogate pair across a slice border', '😀'],
    ['a lone high surrogate at a slice border', '\ud800x'],
    ['a lone low surrogate after a slice border', 'x\udc00'],
    ['an escaped character at a slice border', '\u0001"\\'],
  ])('writes a long string with %s exactly as JSON.stringify does', (_, border) => {
    const text = longText(100_000, border);
    expect(written(text)).toBe(JSON.stringify(text));
    expect(written({ role: 'tool', content: text })).toBe(JSON.stringify({ role: 'tool', content: text }));
  });

  it('writes long strings full of escapes across the end of its buffer exactly as JSON.stringify does', () => {
    // Controls without a short escape grow sixfold: near the end of the 1 MiB buffer a slice
    // no longer fits at its worst, so its escapes are counted, and the text runs into a
    // second buffer.
    const controls = '\u0001\u0002\u001f'.repeat(60_000);
    const mixed = longText(1_500_000, '\u0000');
    const out = new Utf8Chunks();
    for (const text of [controls, mixed, controls]) writeJson(text, out);
    const expectedText = [controls, mixed, controls].map((text) => JSON.stringify(text)).join('');
    const bytes = out.take();
    expect(bytes.length).toBeGreaterThan(1 << 20);
    expect(bytes.toString('utf8')).toBe(expectedText);
  });

  it('writes strings just under, at and over the size written piece by piece as JSON.stringify does', () => {
    for (const length of [4095, 4096, 4097, 5000]) {
      const text = longText(length, '"\n');
      expect(written(text)).toBe(JSON.stringify(text));
      expect(written({ role: 'user', content: [{ type: 'text', text }] })).toBe(
        JSON.stringify({ role: 'user', content: [{ type: 'text', text }] }),
      );
    }
  });

  it('writes large nested plain data exactly as JSON.stringify does', () => {
    const big = longText(40_000, '😀');
    const value = {
      role: 'assistant',
      content: [
        { type: 'text', text: big },
        { type: 'image', skipped: undefined, fn: () => 1, sym: Symbol('s') },
        [undefined, () => 2, Symbol('t'), null, Number.NaN, -0, Number.POSITIVE_INFINITY, 1.5e300],
      ],
      tool_calls: [{ id: 'c1', function: { name: 'Read', arguments: JSON.stringify({ path: big.slice(0, 50_000) }) } }],
      'key with "quotes" and é': [big, 'short'],
      nothing: null,
      flag: false,
    };
    expect(written(value)).toBe(JSON.stringify(value));
    // Holes in an array are null too.
    const sparse: unknown[] = [big];
    sparse[3] = 'end';
    expect(written(sparse)).toBe(JSON.stringify(sparse));
  });

  it('writes keys it keeps, and keys too long to keep, across the ends of its buffers', () => {
    // Over a megabyte (the first buffer), so that kept keys' bytes land across buffer ends.
    const longKey = `k${'é'.repeat(70)}`;
    const items = Array.from({ length: 40_000 }, (_, i) => ({ id: i, role: 'tool', 'é\n"': 'x', [longKey]: i % 7 === 0 }));
    expect(written(items)).toBe(JSON.stringify(items));
  });

  it('gives values that are not plain data to one JSON.stringify, with their toJSON and own properties', () => {
    class Point {
      x = 1;
      y = longText(40_000, 'é');
    }
    const withDate = { when: new Date(0), text: longText(40_000, '中') };
    const withToJson = { toJSON: (key: string) => `serialized under "${key}"`, text: longText(40_000, 'x') };
    const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { text: longText(40_000, 'ü') });
    for (const value of [new Point(), withDate, { nested: withToJson }, nullPrototype, [new Point()]]) {
      expect(written(value)).toBe(JSON.stringify(value));
    }
  });

  it('drops what it wrote of a value when it meets data that is not plain late, keeping what came before', () => {
    let deep: unknown = { text: 'bottom' };
    for (let level = 0; level < 70; level += 1) deep = { level, deep };
    const late = [
      { text: longText(3_000_000, 'é'), later: new Date(0) },
      [longText(1_500_000, '中'), { toJSON: () => 'replaced' }],
      { text: longText(2_000_000, 'x'), deep },
    ];
    for (const value of late) {
      const out = new Utf8Chunks();
      const before = { row: 1, text: longText(1_200_000, '"') };
      expect(writeJson(before, out)).toBe(true);
      expect(writeJson(value, out)).toBe(true);
      expect(out.take().toString('utf8')).toBe(JSON.stringify(before) + JSON.stringify(value));
    }
  });

  it('writes nothing where JSON.stringify gives undefined', () => {
    expect(written(undefined)).toBeUndefined();
    expect(written(() => 1)).toBeUndefined();
    expect(written(Symbol('s'))).toBeUndefined();
  });

  it('throws on a cycle as JSON.stringify does', () => {
    const cyclic: Record<string, unknown> = { text: longText(40_000, 'x') };
    cyclic.self = cyclic;
    expect(() => written(cyclic)).toThrow(TypeError);
  });

  it('writes an array element by element, with null where JSON cannot hold one', () => {
    const items = [{ role: 'user', content: 'hi' }, undefined, longText(50_000, '😀')];
    expect(written(items)).toBe(JSON.stringify(items));
  });

  it('writes small values, their keys, numbers and strings around the escaping sizes exactly as JSON.stringify does', () => {
    const strings = [63, 64, 65, 1000, 4095, 4096, 16_384, 16_385].flatMap((length) => [
      longText(length, '\u001f'),
      `${'a'.repeat(length - 1)}\ud800`,
      `\udc00${'b'.repeat(length - 1)}`,
    ]);
    const value = {
      role: 'assistant',
      'key "quoted" \\ é \u0000': 'x',
      '': 'empty key',
      __proto__key: 1,
      numbers: [0, -0, 1.5, -2e-7, 1e21, 123456789012345680000, Number.NaN, Number.NEGATIVE_INFINITY, Number.MAX_VALUE],
      flags: [true, false, null],
      strings,
      nested: { a: [{ b: [{ c: 'deep\n"text"' }] }], empty: {}, list: [] },
    };
    expect(written(value)).toBe(JSON.stringify(value));
    for (const text of strings) expect(written(text)).toBe(JSON.stringify(text));
    expect(written(42)).toBe('42');
    expect(written(null)).toBe('null');
  });

  it('throws on a bigint as JSON.stringify does, also deep in plain data', () => {
    expect(() => written({ list: [1, 2n] })).toThrow(TypeError);
  });
});
