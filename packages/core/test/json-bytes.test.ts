import { jsonStringEnd, skipJsonSpace } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';

/** Where `jsonStringEnd` says the string opening at the first quote of `text` closes, as a character index of the bytes. */
function closeOf(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  return jsonStringEnd(bytes, bytes.indexOf(0x22) + 1, bytes.length);
}

describe('jsonStringEnd', () => {
  it('finds the closing quote past escaped quotes and backslash runs', () => {
    // Each text's string closes at the quote before " tail".
    for (const text of ['"plain" tail', '"say \\"hi\\"" tail', '"ends in a backslash \\\\" tail', '"three \\\\\\" still inside" tail']) {
      expect(closeOf(text), text).toBe(text.indexOf('" tail'));
    }
  });

  it('jumps over long text and multi-byte characters, whose bytes are never quotes', () => {
    const long = `é中😀 ${'x'.repeat(100_000)}`;
    const bytes = Buffer.from(`"${long}","next"`, 'utf8');
    expect(jsonStringEnd(bytes, 1, bytes.length)).toBe(Buffer.byteLength(`"${long}`));
  });

  it('gives -1 for a string that does not close before the end given', () => {
    const bytes = Buffer.from('"open text" and "more', 'utf8');
    expect(jsonStringEnd(bytes, 1, 6)).toBe(-1);
    expect(jsonStringEnd(bytes, 17, bytes.length)).toBe(-1);
    const long = Buffer.from(`"${'x'.repeat(1000)}" after`, 'utf8');
    expect(jsonStringEnd(long, 1, 500)).toBe(-1);
  });
});

describe('skipJsonSpace', () => {
  it('skips spaces, tabs and line ends, and stops at the end given', () => {
    const bytes = Buffer.from(' \t\r\n{ }', 'utf8');
    expect(skipJsonSpace(bytes, 0, bytes.length)).toBe(4);
    expect(skipJsonSpace(bytes, 5, bytes.length)).toBe(6);
    expect(skipJsonSpace(bytes, 0, 2)).toBe(2);
  });
});
