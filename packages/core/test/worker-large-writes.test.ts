import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createJsonlSink, encodeRows, type NormalizedRollout } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { rowWith, text } from './sinks/rows.js';

function row(id: string, textLength: number): NormalizedRollout {
  return rowWith(id, [{ role: 'user', content: text('é'.repeat(textLength)) }]);
}

describe('the JSONL sink with a worker batch of a long session', () => {
  it('writes a batch over 1 MiB in order and unchanged between small ones', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'large-writes-'));
    try {
      const rows = [row('small-1', 10), row('long', 1_500_000), row('small-2', 10)];
      const sink = createJsonlSink({ path: path.join(dir, 'out.jsonl') });
      await sink.open();
      await sink.write(rows[0] as NormalizedRollout);
      const long = encodeRows([rows[1] as NormalizedRollout]);
      expect(long.jsonl.byteLength).toBeGreaterThan(3_000_000);
      await sink.writeEncoded?.(long);
      await sink.writeEncoded?.(encodeRows([rows[2] as NormalizedRollout]));
      const summary = await sink.close();
      const written = await readFile(path.join(dir, 'out.jsonl'), 'utf8');
      expect(written).toBe(rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
      expect(summary.bytes).toBe(Buffer.byteLength(written));
      expect(summary.rowsWritten).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
