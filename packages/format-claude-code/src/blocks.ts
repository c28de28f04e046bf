import type { ContentBlock } from '@agent-rollout/core/format';
import { isObject } from './records.js';

/**
 * Turns an Anthropic content block into a row content block: `text` stays text, `image`
 * becomes an OpenAI `image_url` block (base64 data as a `data:` URL), and every other block
 * (documents, server tool results, future types) is kept as it is.
 */
export function toRowBlock(block: Record<string, unknown>): ContentBlock {
  if (block.type === 'text' && typeof block.text === 'string') return { type: 'text', text: block.text };
  if (block.type === 'image' && isObject(block.source)) {
    const url = imageUrl(block.source);
    if (url !== undefined) return { type: 'image_url', image_url: { url } };
  }
  if (typeof block.type !== 'string' || block.type === 'text' || block.type === 'image_url') {
    // A malformed block: keep its data under a type the schema accepts, never drop it.
    return { ...block, type: 'unrecognized_block', original_type: typeof block.type === 'string' ? block.type : null };
  }
  return block as ContentBlock;
}

function imageUrl(source: Record<string, unknown>): string | undefined {
  if (source.type === 'base64' && typeof source.data === 'string') {
    const mediaType = typeof source.media_type === 'string' ? source.media_type : 'application/octet-stream';
    return `data:${mediaType};base64,${source.data}`;
  }
  if (source.type === 'url' && typeof source.url === 'string') return source.url;
  return undefined;
}

/** Block types that map to a standard row field; anything else is counted as kept-as-is. */
const KNOWN_BLOCK_TYPES: ReadonlySet<string> = new Set(['text', 'image', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result']);

/** True for a block that is kept unchanged in `content` (counted in `source_meta.kept_block_types`). */
export function isKeptAsIs(block: Record<string, unknown>): boolean {
  return !(typeof block.type === 'string' && KNOWN_BLOCK_TYPES.has(block.type));
}

export function textBlock(text: string): ContentBlock {
  return { type: 'text', text };
}
