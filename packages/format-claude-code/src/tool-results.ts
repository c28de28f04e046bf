import type { ChatMessage, ContentBlock } from '@agent-rollout/core/format';
import { textBlock, toRowBlock } from './blocks.js';
import { contentBlocks, isObject } from './records.js';

/** A `tool_result` block of a user record, with the record it came from. */
export interface ToolResult {
  toolUseId: string;
  block: Record<string, unknown>;
  record: Record<string, unknown>;
}

const PERSISTED_OUTPUT = /<persisted-output>[\s\S]*?Full output saved to:\s*(\S+)/;

/** The stored file named by a `<persisted-output>` preview, if the result is one. */
export function persistedOutputPath(content: readonly ContentBlock[]): string | undefined {
  for (const block of content) {
    // The plain search first: the expression costs far more on the long texts that are no preview.
    if (block.type === 'text' && typeof block.text === 'string' && block.text.includes('<persisted-output>')) {
      const match = PERSISTED_OUTPUT.exec(block.text);
      if (match?.[1]) return match[1];
    }
  }
  return undefined;
}

/** The result's content as row blocks: text and image blocks keep their kind, a string is one text block. */
export function toolResultContent(block: Record<string, unknown>): ContentBlock[] {
  const content = block.content;
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return content.length > 0 ? [textBlock(content)] : [];
  if (Array.isArray(content) || isObject(content)) return contentBlocks(content).map(toRowBlock);
  return [textBlock(String(content))];
}

/**
 * The `tool` message for one result. `is_error` is always set (false when the CLI left it
 * out). A result the transcript replaced by a `<persisted-output>` preview keeps the preview;
 * `metadata.persisted_output` names the stored file (`inlined: false` until a caller asks
 * for the full text).
 */
export function toolMessage(result: ToolResult): ChatMessage {
  const content = toolResultContent(result.block);
  const message: ChatMessage = { role: 'tool', content, tool_call_id: result.toolUseId, is_error: result.block.is_error === true };
  const stored = persistedOutputPath(content);
  if (stored !== undefined) message.metadata = { persisted_output: { path: stored, inlined: false } };
  return message;
}

/** Every `tool_result` block of a user record. */
export function toolResultsOf(record: Record<string, unknown>): ToolResult[] {
  const message = isObject(record.message) ? record.message : undefined;
  if (!message) return [];
  const results: ToolResult[] = [];
  for (const block of contentBlocks(message.content)) {
    if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') {
      results.push({ toolUseId: block.tool_use_id, block, record });
    }
  }
  return results;
}
