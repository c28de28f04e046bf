import { NormalizedRolloutSchema } from './row.js';

function isJsonObjectText(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Checks one row against the schema and the rules the schema alone cannot state: every tool
 * message answers a tool call made earlier in the same row, call ids are unique, and every
 * call's arguments are the JSON text of an object. Returns the problems found (empty when
 * the row is valid).
 */
export function validateRollout(row: unknown): string[] {
  const parsed = NormalizedRolloutSchema.safeParse(row);
  if (!parsed.success) {
    return parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`);
  }
  const problems: string[] = [];
  const value = parsed.data;
  const calls = new Set<string>();
  let toolCalls = 0;
  value.messages.forEach((message, index) => {
    for (const call of message.tool_calls ?? []) {
      toolCalls += 1;
      if (message.role !== 'assistant') problems.push(`messages.${index}: only assistant messages make tool calls`);
      if (calls.has(call.id)) problems.push(`messages.${index}: tool call id ${call.id} is used twice`);
      calls.add(call.id);
      if (!isJsonObjectText(call.function.arguments)) {
        problems.push(`messages.${index}: the arguments of tool call ${call.id} are not the JSON text of an object`);
      }
    }
    if (message.role === 'tool') {
      if (!message.tool_call_id) problems.push(`messages.${index}: a tool message has no tool_call_id`);
      else if (!calls.has(message.tool_call_id)) {
        problems.push(`messages.${index}: tool message answers ${message.tool_call_id}, which no earlier assistant message called`);
      }
    }
  });
  if (value.message_count !== value.messages.length) problems.push('message_count does not match messages');
  if (value.tool_call_count !== toolCalls) problems.push('tool_call_count does not match the tool calls in messages');
  if (!value.is_sidechain && value.agent_id !== null && value.trace_id === value.root_session_id) {
    problems.push('a row with an agent_id should be a sidechain or have its own trace_id');
  }
  return problems;
}
