import { describe, expect, it } from 'vitest';
import { ParseWindow, type ParseWindowLimits } from '../src/reader/parse-window.js';

const limits: ParseWindowLimits = { maxFiles: 100, maxBytes: 100, bigSize: 20, parallelism: 2 };

/** Admits every file the window lets in now and returns their indexes, in the order admitted. */
function admitAll(window: ParseWindow): number[] {
  const admitted: number[] = [];
  for (let index = window.nextToAdmit(); index !== undefined; index = window.nextToAdmit()) {
    window.admit(index);
    admitted.push(index);
  }
  return admitted;
}

/** Releases every outcome in order, admitting what each release lets in; returns all admitted, in order. */
function drive(window: ParseWindow, admitted: number[]): number[] {
  const order = [...admitted];
  for (let out = window.nextOut; out !== undefined; out = window.nextOut) {
    window.release(out);
    order.push(...admitAll(window));
  }
  return order;
}

describe('ParseWindow', () => {
  it('admits small files in order within the byte budget, and the next one out even beyond it', () => {
    const window = new ParseWindow([40, 40, 40, 90, 15], limits);
    expect(admitAll(window)).toEqual([0, 1]);
    window.release(0);
    expect(admitAll(window)).toEqual([2]);
    window.release(1);
    window.release(2);
    // 90 bytes fit with nothing in flight; the file after it does not until it has left.
    expect(admitAll(window)).toEqual([3]);
    window.release(3);
    expect(admitAll(window)).toEqual([4]);
    window.release(4);
    expect(window.nextOut).toBeUndefined();
  });

  it('never holds more files than maxFiles, but always the one whose outcome is due', () => {
    const window = new ParseWindow([1, 1, 1, 1], { ...limits, maxFiles: 2 });
    expect(admitAll(window)).toEqual([0, 1]);
    window.release(0);
    expect(admitAll(window)).toEqual([2]);
    expect(drive(window, [])).toEqual([3]);
  });

  it('lets a big file in early once the files before it are as much work as it is for one worker', () => {
    // 60 bytes of small files, then a big file of 40: it enters once 40 bytes or less lie before it.
    const sizes = [10, 10, 10, 10, 10, 10, 40, 5];
    const window = new ParseWindow(sizes, { ...limits, maxBytes: 1000 });
    expect(admitAll(window)).toEqual([0, 1, 6, 2, 3, 4, 5, 7]);
  });

  it('with more workers, lets a big file in earlier', () => {
    const sizes = [10, 10, 10, 10, 10, 10, 40, 5];
    const window = new ParseWindow(sizes, { ...limits, maxBytes: 1000, parallelism: 3 });
    expect(admitAll(window)).toEqual([0, 6, 1, 2, 3, 4, 5, 7]);
  });

  it('lets a big file in early only within three quarters of the byte budget', () => {
    // 30 + 45 bytes is three quarters of 100: the big file goes ahead of the 10-byte file.
    expect(admitAll(new ParseWindow([30, 10, 45, 1], limits))).toEqual([0, 2, 1, 3]);
    // 30 + 46 is more: the big file waits until it fits, and the 10-byte file before it waits
    // too, until it is the next one out.
    const window = new ParseWindow([30, 10, 46, 1], limits);
    expect(admitAll(window)).toEqual([0]);
    window.release(0);
    expect(admitAll(window)).toEqual([1, 2, 3]);
  });

  it('holds back the files before a big file that is due until it fits, so that it never waits for its turn', () => {
    // A window of small files fills the byte budget; without holding them back, the big file
    // would only enter as the next one out, once every file before it was done.
    const sizes = [...Array.from({ length: 12 }, () => 10), 60, 10];
    const window = new ParseWindow(sizes, limits);
    const order = drive(window, admitAll(window));
    expect(order.indexOf(12)).toBeLessThan(order.indexOf(7));
    expect([...order].sort((a, b) => a - b)).toEqual(sizes.map((_, index) => index));
  });

  it('admits every file exactly once and lets outcomes leave in order', () => {
    const sizes = [3, 60, 2, 2, 25, 2, 2, 2, 70, 1, 30, 1];
    const window = new ParseWindow(sizes, limits);
    const order = drive(window, admitAll(window));
    expect([...order].sort((a, b) => a - b)).toEqual(sizes.map((_, index) => index));
    expect(() => window.release(0)).toThrow('left out of order');
  });

  it('refuses an outcome that leaves out of order', () => {
    const window = new ParseWindow([1, 1], limits);
    admitAll(window);
    expect(() => window.release(1)).toThrow('file 1 left out of order');
  });
});
