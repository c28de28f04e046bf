import type { ChatMessage } from '@agent-rollout/core/format';
import { textBlock } from './blocks.js';
import { isObject, type RawRecord } from './records.js';

export function systemSubtype(record: RawRecord): string {
  return typeof record.subtype === 'string' ? record.subtype : '(none)';
}

/**
 * The message of a `system` record, or undefined when it is bookkeeping. A compaction
 * boundary is kept as a marker (`metadata.kind: "compact_boundary"`, with its trigger and
 * token count) so that a reader sees where older history was summarized; the output of a
 * local command is kept as a `system` message. Other subtypes (turn durations, API retries,
 * hook summaries, ...) are counted in `source_meta.system_subtypes` only.
 */
export function systemMessage(record: RawRecord): ChatMessage | undefined {
  const subtype = systemSubtype(record);
  const text = typeof record.content === 'string' ? record.content : '';
  if (subtype === 'compact_boundary') {
    const metadata: Record<string, unknown> = { kind: 'compact_boundary' };
    const compact = isObject(record.compactMetadata) ? record.compactMetadata : {};
    if (typeof compact.trigger === 'string') metadata.trigger = compact.trigger;
    if (typeof compact.preTokens === 'number') metadata.pre_tokens = compact.preTokens;
    return { role: 'system', content: [textBlock(text || 'Conversation compacted')], metadata };
  }
  if (subtype === 'local_command' && text.length > 0) {
    return { role: 'system', content: [textBlock(text)], metadata: { kind: 'command_output' } };
  }
  return undefined;
}
