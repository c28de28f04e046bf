import type { ChatMessage, NormalizedRollout, RolloutDraft } from './row.js';

/** The text of a message's text blocks, joined by blank lines. */
export function messageText(message: ChatMessage): string {
  const parts: string[] = [];
  for (const block of message.content) {
    if (block.type === 'text' && typeof block.text === 'string' && block.text.length > 0) {
      parts.push(block.text);
    }
  }
  return parts.join('\n\n');
}

/**
 * Turns a handler's draft into a full row: computes the derived columns from `messages`
 * and puts the columns in their canonical order. This is the only place they are computed.
 */
export function finalizeRollout(draft: RolloutDraft): NormalizedRollout {
  let toolCallCount = 0;
  let finalAssistant: string | null = null;
  for (const message of draft.messages) {
    if (message.tool_calls) toolCallCount += message.tool_calls.length;
    if (message.role === 'assistant') {
      const text = messageText(message);
      if (text.length > 0) finalAssistant = text;
    }
  }
  return {
    trace_id: draft.trace_id,
    source_kind: draft.source_kind,
    source_path: draft.source_path,
    root_session_id: draft.root_session_id,
    agent_id: draft.agent_id,
    is_sidechain: draft.is_sidechain,
    cwd: draft.cwd,
    project_path: draft.project_path,
    git_branch: draft.git_branch,
    started_at: draft.started_at,
    ended_at: draft.ended_at,
    messages: draft.messages.map(compactMessage),
    source_meta: draft.source_meta,
    message_count: draft.messages.length,
    tool_call_count: toolCallCount,
    final_assistant_message: finalAssistant,
  };
}

/**
 * A message with its fields in canonical order and its empty optional fields left out
 * (no `reasoning_content: ""`, no `tool_calls: []`), so that every sink writes the same bytes.
 */
export function compactMessage(message: ChatMessage): ChatMessage {
  const out: ChatMessage = { role: message.role, content: message.content };
  if (message.reasoning_content) out.reasoning_content = message.reasoning_content;
  if (message.tool_calls && message.tool_calls.length > 0) out.tool_calls = message.tool_calls;
  if (message.tool_call_id) out.tool_call_id = message.tool_call_id;
  if (message.is_error !== undefined) out.is_error = message.is_error;
  if (message.metadata && Object.keys(message.metadata).length > 0) out.metadata = message.metadata;
  return out;
}
