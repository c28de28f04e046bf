import { describe, expect, it } from 'vitest';
import { isPlainData } from '../src/reader/plain-data.js';

class WithMethod {
  value = 1;
  read(): number {
    return this.value;
  }
}

describe('isPlainData (whether a parse context can be sent to workers as it is)', () => {
  it('accepts JSON-like data, Maps, Sets, Dates and shared references', () => {
    const shared = { id: 'x' };
    expect(isPlainData(undefined)).toBe(true);
    expect(isPlainData({ a: [1, 'two', null, { b: true }], c: Object.create(null) })).toBe(true);
    expect(isPlainData({ index: new Map([['k', new Set([1, 2])]]), at: new Date(0), bytes: new Uint8Array(2), pattern: /x/ })).toBe(true);
    expect(isPlainData({ first: shared, second: shared })).toBe(true);
  });

  it('refuses class instances and functions at any depth', () => {
    expect(isPlainData(new WithMethod())).toBe(false);
    expect(isPlainData({ deep: [{ deeper: new WithMethod() }] })).toBe(false);
    expect(isPlainData({ callback: () => 1 })).toBe(false);
    expect(isPlainData(new Map([['k', new WithMethod()]]))).toBe(false);
  });
});
