import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ContentBlock } from '@agent-rollout/core/format';
import { isObject } from './raw.js';

/** Counts the content part types this package does not map, so `source_meta` can report them. */
export type UnknownTypeCounts = Record<string, number>;

const URL_WITH_SCHEME = /^(?:data|https?|file):/i;

/**
 * Where an ATIF image lives. v1.6 stores images as files next to the trajectory and names
 * them by a path relative to it; that becomes a `file:` URL. Data and web URLs stay as they are.
 */
function imageUrl(source: Record<string, unknown>, trajectoryPath: string): string | undefined {
  const location = typeof source.path === 'string' ? source.path : typeof source.url === 'string' ? source.url : undefined;
  if (!location) return undefined;
  if (URL_WITH_SCHEME.test(location)) return location;
  return pathToFileURL(path.resolve(path.dirname(trajectoryPath), location)).href;
}

/**
 * An ATIF `message` or observation `content` as chat content blocks. A string is one text
 * block (none when empty); a ContentPart list maps `text` parts to text blocks and `image`
 * parts to `image_url` blocks. Parts of any other type are kept as they are and counted.
 */
export function toContentBlocks(value: unknown, trajectoryPath: string, unknownTypes: UnknownTypeCounts): ContentBlock[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value.length > 0 ? [{ type: 'text', text: value }] : [];
  if (!Array.isArray(value)) return [{ type: 'text', text: JSON.stringify(value) }];
  const blocks: ContentBlock[] = [];
  for (const part of value) {
    if (typeof part === 'string') {
      if (part.length > 0) blocks.push({ type: 'text', text: part });
      continue;
    }
    if (!isObject(part) || typeof part.type !== 'string') continue;
    if (part.type === 'text' && typeof part.text === 'string') {
      blocks.push({ type: 'text', text: part.text });
      continue;
    }
    if (part.type === 'image' && isObject(part.source)) {
      const url = imageUrl(part.source, trajectoryPath);
      if (url) {
        const mediaType = typeof part.source.media_type === 'string' ? { media_type: part.source.media_type } : {};
        blocks.push({ type: 'image_url', image_url: { url, ...mediaType } });
        continue;
      }
    }
    unknownTypes[part.type] = (unknownTypes[part.type] ?? 0) + 1;
    // A part named like a known block but shaped otherwise keeps its data under another type.
    blocks.push(part.type === 'text' || part.type === 'image_url' ? { ...part, type: `atif_${part.type}` } : { ...part, type: part.type });
  }
  return blocks;
}
