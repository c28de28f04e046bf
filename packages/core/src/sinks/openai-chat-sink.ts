import { AgentRolloutError } from '../errors.js';
import type { NormalizedRollout } from '../schema/row.js';
import { type ByteTarget, openByteTarget, type SinkDestination } from './byte-target.js';
import { type OpenAIChatOptions, toOpenAIChatExample } from './openai-chat.js';
import type { RolloutSink, SinkSummary } from './sink.js';

/**
 * One `{"messages": [...]}` per line for OpenAI chat fine-tuning. Rows that cannot form a
 * valid example are left out and counted by reason in the summary's `skipped`.
 */
export function createOpenAIChatSink(destination: SinkDestination, options: OpenAIChatOptions = {}): RolloutSink {
  let target: ByteTarget | undefined;
  let rowsIn = 0;
  let written = 0;
  const skipped: Record<string, number> = {};
  const opened = (): ByteTarget => {
    if (!target) throw new AgentRolloutError('sink', 'the OpenAI-chat sink was written to before open()');
    return target;
  };
  return {
    format: 'openai-chat',
    async open() {
      target = await openByteTarget(destination);
    },
    async write(row: NormalizedRollout) {
      const out = opened();
      rowsIn += 1;
      const converted = toOpenAIChatExample(row, options);
      if (!converted.ok) {
        skipped[converted.reason] = (skipped[converted.reason] ?? 0) + 1;
        return;
      }
      await out.write(`${JSON.stringify(converted.example)}\n`);
      written += 1;
    },
    async close(): Promise<SinkSummary> {
      const out = opened();
      await out.commit();
      return { format: 'openai-chat', path: out.path, rowsIn, rowsWritten: written, skipped, bytes: out.bytes };
    },
    async abort() {
      await target?.discard();
    },
  };
}
