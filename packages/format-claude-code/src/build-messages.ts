import type { ChatMessage, ToolCall } from '@agent-rollout/core/format';
import { attachmentMessage } from './attachments.js';
import { isKeptAsIs } from './blocks.js';
import { AssistantTurn } from './merge-assistant.js';
import { isAssistantRecord, isUserRecord, type TreeRecord } from './records.js';
import { systemMessage } from './system-records.js';
import { type ToolResult, toolMessage, toolResultsOf } from './tool-results.js';
import { userRecordMessages } from './user-lines.js';

/** Facts found while turning a path into messages, for `source_meta`. */
export interface MessageStats {
  /** Tool calls that never got a result (an interrupted session). */
  unansweredToolCalls: number;
  /** Tool results whose call is not in the row; kept as `user` messages marked `orphan_tool_result`. */
  orphanToolResults: number;
  /** Repeated tool call ids dropped from later assistant messages. */
  duplicateToolCalls: number;
  /** Block types kept unchanged in `content`, with counts. */
  keptBlockTypes: Record<string, number>;
}

type Item = { turn: AssistantTurn } | { message: ChatMessage };

/**
 * Turns the chosen path into chat messages. Lines of one API response are merged into one
 * assistant message; each tool result becomes a `tool` message placed right after the
 * assistant message that called it (results from side branches included), in call order.
 */
export interface BuildMessagesOptions {
  /** The session that first wrote a response, when it is a copy replayed into this file. */
  replayedFrom?: (messageId: string) => string | undefined;
}

export function buildMessages(
  path: readonly TreeRecord[],
  sideResults: readonly TreeRecord[],
  options: BuildMessagesOptions = {},
): { messages: ChatMessage[]; stats: MessageStats } {
  const stats: MessageStats = { unansweredToolCalls: 0, orphanToolResults: 0, duplicateToolCalls: 0, keptBlockTypes: {} };
  const resultsById = new Map<string, ToolResult>();
  // The results of the path's records, kept for the orphan check below. Plain loops, not a
  // spread of mapped arrays: the engine's optimized code for those expects one array shape, and
  // empty and filled arrays differ, so it was thrown away and rebuilt up to nine times per thread.
  const pathResults: ToolResult[][] = [];
  for (const record of path) {
    const results = toolResultsOf(record);
    pathResults.push(results);
    indexFirstResults(resultsById, results);
  }
  for (const record of sideResults) indexFirstResults(resultsById, toolResultsOf(record));

  const items: Item[] = [];
  const calledIds = new Set<string>();
  for (const record of path) {
    if (isAssistantRecord(record)) {
      const last = items[items.length - 1];
      if (last && 'turn' in last && last.turn.continues(record)) last.turn.add(record);
      else items.push({ turn: new AssistantTurn(record) });
      continue;
    }
    if (isUserRecord(record)) {
      for (const message of userRecordMessages(record)) items.push({ message });
      continue;
    }
    const message = record.type === 'attachment' ? attachmentMessage(record) : record.type === 'system' ? systemMessage(record) : undefined;
    if (message) items.push({ message });
  }
  for (const item of items) if ('turn' in item) for (const call of item.turn.toolCalls) calledIds.add(call.id);

  const messages: ChatMessage[] = [];
  const answered = new Set<string>();
  const seenCalls = new Set<string>();
  for (const item of items) {
    if ('message' in item) {
      messages.push(item.message);
      continue;
    }
    const calls: ToolCall[] = [];
    for (const call of item.turn.toolCalls) {
      if (seenCalls.has(call.id)) {
        stats.duplicateToolCalls += 1;
        continue;
      }
      seenCalls.add(call.id);
      calls.push(call);
    }
    for (const type of item.turn.keptBlockTypes()) stats.keptBlockTypes[type] = (stats.keptBlockTypes[type] ?? 0) + 1;
    const message = item.turn.toMessage(calls);
    const replayedFrom = item.turn.messageId === undefined ? undefined : options.replayedFrom?.(item.turn.messageId);
    if (replayedFrom !== undefined) message.metadata = { ...message.metadata, replayed_from: replayedFrom };
    messages.push(message);
    for (const call of calls) {
      const result = resultsById.get(call.id);
      if (result === undefined) {
        stats.unansweredToolCalls += 1;
        continue;
      }
      answered.add(call.id);
      messages.push(toolMessage(result));
    }
  }

  // Results of calls that are not in this row cannot be `tool` messages (nothing to pair with).
  const orphans: ChatMessage[] = [];
  for (const results of pathResults) {
    for (const result of results) {
      if (calledIds.has(result.toolUseId)) continue;
      stats.orphanToolResults += 1;
      const message = toolMessage(result);
      orphans.push({
        role: 'user',
        content: message.content,
        metadata: { kind: 'orphan_tool_result', tool_use_id: result.toolUseId, is_error: message.is_error === true },
      });
    }
  }
  // Orphans are rare (damaged or cut files); they go first, before the conversation that lost their call.
  const all = orphans.length > 0 ? [...orphans, ...messages] : messages;
  for (const message of all) countKeptUserBlocks(message, stats);
  return { messages: all, stats };
}

/** Adds results whose call id is not in the index yet: the first result of a call wins. */
function indexFirstResults(resultsById: Map<string, ToolResult>, results: readonly ToolResult[]): void {
  for (const result of results) if (!resultsById.has(result.toolUseId)) resultsById.set(result.toolUseId, result);
}

function countKeptUserBlocks(message: ChatMessage, stats: MessageStats): void {
  if (message.role === 'assistant') return;
  for (const block of message.content) {
    const raw = block as Record<string, unknown>;
    if (block.type !== 'image_url' && isKeptAsIs(raw)) stats.keptBlockTypes[block.type] = (stats.keptBlockTypes[block.type] ?? 0) + 1;
  }
}
