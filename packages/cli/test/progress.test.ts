import type { ReadProgress } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/ui/progress.js';

function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY, columns: 200, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

const step = (filesDone: number, bytesDone: number, rows: number): ReadProgress => ({
  format: 'claude_code',
  filesDone,
  filesTotal: 4,
  bytesDone,
  bytesTotal: 4 * 1024 * 1024,
  rows,
});

describe('progress on stderr', () => {
  it('draws a bar with files, MB, rows, rate and ETA on a terminal, redrawn in place', () => {
    const { stream, text } = fakeStream(true);
    const progress = createProgress({ stream, quiet: false });
    progress.update(step(0, 0, 0));
    progress.update(step(4, 4 * 1024 * 1024, 9));
    progress.done(step(4, 4 * 1024 * 1024, 9));
    const out = text();
    expect(out.startsWith('\r')).toBe(true);
    expect(out).toMatch(/claude_code [█░]{24} 4\/4 files {2}4\.0 MB\/4\.0 MB {2}9 rows {2}[\d.]+ [KMG]?B\/s {2}ETA /);
    expect(out).toContain('█'.repeat(24));
    expect(out.endsWith('\n')).toBe(true);
  });

  it('writes plain lines, without control codes, when stderr is not a terminal', () => {
    const { stream, text } = fakeStream(false);
    const progress = createProgress({ stream, quiet: false, plainIntervalMs: 0 });
    progress.update(step(0, 0, 0));
    progress.update(step(2, 2 * 1024 * 1024, 4));
    progress.done(step(4, 4 * 1024 * 1024, 9));
    expect(text().split('\n')).toEqual([
      'claude_code: reading 4 files (4.0 MB)',
      expect.stringMatching(/^claude_code: 2\/4 files {2}2\.0 MB\/4\.0 MB {2}4 rows/),
      expect.stringMatching(/^claude_code: done, 4\/4 files {2}4\.0 MB\/4\.0 MB {2}9 rows/),
      '',
    ]);
    expect(text()).not.toContain('\x1b');
  });

  it('writes nothing when quiet', () => {
    const { stream, text } = fakeStream(true);
    const progress = createProgress({ stream, quiet: true });
    progress.update(step(1, 10, 1));
    progress.done(step(4, 40, 9));
    expect(text()).toBe('');
  });
});

describe('progress on a narrow terminal', () => {
  it('shrinks the bar so the figures fit in one line', () => {
    const chunks: string[] = [];
    const stream = { isTTY: true, columns: 80, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
    const progress = createProgress({ stream, quiet: false });
    progress.done({ format: 'claude_code', filesDone: 22, filesTotal: 22, bytesDone: 74_444, bytesTotal: 74_444, rows: 6 });
    const line = (chunks[0] as string).replace('\r', '').replace('\x1b[K', '');
    expect(line.length).toBeLessThan(80);
    expect(line).toMatch(/ETA 0:00$/);
  });
});
