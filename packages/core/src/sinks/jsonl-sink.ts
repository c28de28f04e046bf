import { AgentRolloutError } from '../errors.js';
import type { EncodedRows } from '../reader/encode-rows.js';
import type { NormalizedRollout } from '../schema/row.js';
import { serializeRollout } from '../schema/serialize.js';
import { type ByteTarget, openByteTarget, type SinkDestination } from './byte-target.js';
import type { RolloutSink, SinkSummary } from './sink.js';

/**
 * One row per line, exactly as {@link serializeRollout} writes it: the same rows give the
 * same bytes on every run.
 */
export function createJsonlSink(destination: SinkDestination): RolloutSink {
  let target: ByteTarget | undefined;
  let rows = 0;
  const opened = (): ByteTarget => {
    if (!target) throw new AgentRolloutError('sink', 'the JSONL sink was written to before open()');
    return target;
  };
  return {
    format: 'jsonl',
    async open() {
      target = await openByteTarget(destination);
    },
    async write(row: NormalizedRollout) {
      await opened().write(`${serializeRollout(row)}\n`);
      rows += 1;
    },
    async writeEncoded(batch: EncodedRows) {
      await opened().write(batch.jsonl);
      rows += batch.rows;
    },
    async close(): Promise<SinkSummary> {
      const out = opened();
      await out.commit();
      return { format: 'jsonl', path: out.path, rowsIn: rows, rowsWritten: rows, skipped: {}, bytes: out.bytes };
    },
    async abort() {
      await target?.discard();
    },
  };
}
