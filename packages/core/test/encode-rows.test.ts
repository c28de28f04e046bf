import { type ChatMessage, decodeRows, encodeRows, type NormalizedRollout, serializeRollout } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { rowWith, text as textBlocks } from './sinks/rows.js';

function row(id: string, messages: ChatMessage[], sourceMeta: Record<string, unknown> = {}): NormalizedRollout {
  return rowWith(id, messages, { cwd: '/home/dev/проект', source_meta: sourceMeta as NormalizedRollout['source_meta'] });
}

/** What the encoder must equal: each row as JSON.stringify writes it, one per line. */
function expected(rows: readonly NormalizedRollout[]): Buffer {
  return Buffer.from(rows.map((r) => `${serializeRollout(r)}\n`).join(''), 'utf8');
}

const text = (value: string): ChatMessage => ({ role: 'user', content: textBlocks(value) });

describe('encodeRows', () => {
  it('writes each row as JSON.stringify does: escapes, every UTF-8 width, lone surrogates, empty messages', () => {
    const rows = [
      row('escapes', [text('quote " backslash \\ newline \n tab \t nul \u0000 del \u007f')]),
      row('widths', [text('é ü ß'), text('中文 日本語'), text('emoji 😀 flags 🇫🇷')]),
      row('surrogates', [text('lone high \ud800 and lone low \udc00 and a pair \ud83d\ude00')]),
      row('no-messages', []),
      row('meta', [text('x')], { nested: { list: [1, 'two', null, true], 'key "quoted"': 'ü' } }),
    ];
    const encoded = encodeRows(rows);
    expect(Buffer.from(encoded.jsonl).equals(expected(rows))).toBe(true);
    expect(encoded.rows).toBe(rows.length);
    expect(encoded.messages).toBe(6);
    expect(decodeRows(encoded)).toEqual(rows);
  });

  it('leaves out undefined values and writes null for array elements JSON cannot hold, as JSON.stringify does', () => {
    const base = row('odd', [text('a')]);
    const odd = { ...base, extra: undefined, messages: [text('a'), undefined, text('b')] } as unknown as NormalizedRollout;
    expect(Buffer.from(encodeRows([odd]).jsonl).toString('utf8')).toBe(`${JSON.stringify(odd)}\n`);
  });

  it('writes rows across many chunks, and a message longer than a chunk, unchanged', () => {
    // Two-byte and four-byte characters make chunk borders fall inside characters' bytes.
    const long = 'ä'.repeat(700_000) + '😀'.repeat(300_000);
    const rows = [
      row('long', [text('before'), text(long), text('after')]),
      ...Array.from({ length: 300 }, (_, i) => row(`small-${i}`, [text(`${i} ${'ö'.repeat(5000)} 🙂`)])),
    ];
    const encoded = encodeRows(rows);
    expect(encoded.jsonl.byteLength).toBeGreaterThan(5 * 1024 * 1024);
    expect(Buffer.from(encoded.jsonl).equals(expected(rows))).toBe(true);
  });

  it('gives each call a buffer of its own, unchanged by the encodes after it', () => {
    const first = encodeRows([row('first', [text('one '.repeat(100_000))])]);
    const copy = Buffer.from(first.jsonl);
    const second = encodeRows([row('second', [text('two '.repeat(400_000))])]);
    expect(Buffer.from(first.jsonl).equals(copy)).toBe(true);
    // A view from the start of an ArrayBuffer no other encode shares, so it can be transferred.
    expect(first.jsonl.byteOffset).toBe(0);
    expect(second.jsonl.buffer).not.toBe(first.jsonl.buffer);
  });

  it('writes the same bytes whether the expected size is far too small, right or far too large', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(`r${i}`, [text(`${i} ${'ü'.repeat(60_000)}`)]));
    const want = expected(rows);
    for (const expectedBytes of [0, 10, want.length, want.length * 4]) {
      expect(Buffer.from(encodeRows(rows, expectedBytes).jsonl).equals(want)).toBe(true);
    }
  });

  it('encodes no rows as no bytes', () => {
    expect(encodeRows([]).jsonl.byteLength).toBe(0);
  });
});
