import { describe, expect, it } from 'vitest';
import { Utf8Chunks } from '../src/reader/utf8-chunks.js';

describe('Utf8Chunks', () => {
  it('rewinds within its buffer and across the buffers it moved on to, then goes on writing', () => {
    const piece = 'é'.repeat(100_000); // 200,000 bytes
    for (const keep of [0, 5, 199_999, 200_000, 1_048_576, 1_100_000, 1_400_000]) {
      const out = new Utf8Chunks();
      for (let i = 0; i < 8; i += 1) out.write(piece);
      expect(out.length).toBe(1_600_000);
      out.rewind(keep);
      expect(out.length).toBe(keep);
      out.write('end');
      out.writeBytes(Buffer.from('!'));
      const expected = Buffer.concat([Buffer.from(piece.repeat(8), 'utf8').subarray(0, keep), Buffer.from('end!')]);
      expect(out.take().equals(expected), `kept ${keep}`).toBe(true);
    }
  });

  it('refuses to rewind past its start or beyond what it holds', () => {
    const out = new Utf8Chunks();
    out.write('abc');
    expect(() => out.rewind(4)).toThrow(RangeError);
    expect(() => out.rewind(-1)).toThrow(RangeError);
    out.rewind(3);
    expect(out.take().toString('utf8')).toBe('abc');
  });

  it('copies short and long byte runs into place, across the end of a buffer', () => {
    const out = new Utf8Chunks();
    const short = Buffer.from('"key":');
    const long = Buffer.alloc(5000, 0x61);
    let expected = '';
    while (out.length < 1_100_000) {
      out.writeBytes(short);
      out.writeBytes(long);
      expected += `"key":${'a'.repeat(5000)}`;
    }
    expect(out.take().toString('latin1')).toBe(expected);
  });
});
