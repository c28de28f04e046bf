import type { ContentBlock } from '@agent-rollout/core/format';
import { isObject, stringField } from './records.js';

const TEXT_TYPES: ReadonlySet<string> = new Set(['input_text', 'output_text', 'text', 'Text', 'summary_text', 'reasoning_text']);

/** Counts the block types that were kept as they are (not text, not images). */
export type BlockCounter = (type: string) => void;

/**
 * Converts a Codex content list (`input_text`, `output_text`, `input_image`, ...) into chat
 * content blocks. Text becomes text blocks, images stay image blocks; any other block is
 * kept as it is and counted, never dropped.
 */
export function toContentBlocks(content: unknown, countOther: BlockCounter): ContentBlock[] {
  if (typeof content === 'string') return content.length > 0 ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) return [];
  const blocks: ContentBlock[] = [];
  for (const item of content) {
    if (typeof item === 'string') {
      blocks.push({ type: 'text', text: item });
      continue;
    }
    if (!isObject(item) || typeof item.type !== 'string') continue;
    if (TEXT_TYPES.has(item.type)) {
      if (typeof item.text === 'string') blocks.push({ type: 'text', text: item.text });
      continue;
    }
    if (item.type === 'input_image' || item.type === 'image_url') {
      const url = stringField(item.image_url) ?? stringField(isObject(item.image_url) ? item.image_url.url : undefined);
      if (url !== undefined) {
        blocks.push({ type: 'image_url', image_url: { url } });
        continue;
      }
    }
    countOther(item.type);
    blocks.push({ ...item, type: item.type });
  }
  return blocks;
}

/** The text of the text blocks of a content list, joined by blank lines. */
export function textOf(blocks: readonly ContentBlock[]): string {
  const parts: string[] = [];
  for (const block of blocks) if (block.type === 'text' && typeof block.text === 'string') parts.push(block.text);
  return parts.join('\n\n');
}
