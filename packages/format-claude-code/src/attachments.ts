import type { ChatMessage, ContentBlock } from '@agent-rollout/core/format';
import { textBlock, toRowBlock } from './blocks.js';
import { contentBlocks, isObject, type RawRecord } from './records.js';

/** The kind of a 2.1.x `attachment` record (`environment`, `model`, `queued_command`, ...). */
export function attachmentKind(record: RawRecord): string {
  return isObject(record.attachment) && typeof record.attachment.type === 'string' ? record.attachment.type : 'unknown';
}

/**
 * The message of an `attachment` record, or undefined when it was not shown to the model.
 * - `queued_command` is input the human typed while the model was busy: a `user` message.
 * - an attachment with `rendered` text is context the CLI sent to the model (environment,
 *   model identity, reminders, listings): a `system` message with its rendered text.
 * - anything else (a system-prompt snapshot, deltas without text) is only counted.
 */
export function attachmentMessage(record: RawRecord): ChatMessage | undefined {
  const kind = attachmentKind(record);
  const attachment = isObject(record.attachment) ? record.attachment : {};
  if (kind === 'queued_command') {
    const prompt = attachment.prompt;
    const content: ContentBlock[] = typeof prompt === 'string' ? [textBlock(prompt)] : contentBlocks(prompt).map(toRowBlock);
    return content.length > 0 ? { role: 'user', content, metadata: { kind: 'queued_command' } } : undefined;
  }
  if (!Array.isArray(record.rendered)) return undefined;
  const content: ContentBlock[] = [];
  for (const part of record.rendered) {
    if (!isObject(part)) continue;
    if (typeof part.content === 'string') content.push(textBlock(part.content));
    else content.push(...contentBlocks(part.content).map(toRowBlock));
  }
  if (content.length === 0) return undefined;
  return { role: 'system', content, metadata: { kind: 'attachment', attachment_type: kind } };
}
