import type { ChatMessage, ChatRole, ContentBlock } from '@agent-rollout/core/format';
import { toRowBlock } from './blocks.js';
import { contentBlocks, messageOf, type RawRecord } from './records.js';

/**
 * What a piece of a `user` record is. Only `prompt`, `slash_command`, `shell_command`,
 * `queued_command` and `interruption` come from the human; the rest is what the CLI injected.
 */
export type UserLineKind =
  | 'prompt'
  | 'slash_command'
  | 'shell_command'
  | 'interruption'
  | 'compact_summary'
  | 'meta'
  | 'command_output'
  | 'shell_output'
  | 'system_reminder'
  | 'hook'
  | 'task_notification'
  | 'teammate_message';

const ROLE_OF_KIND: Record<UserLineKind, ChatRole> = {
  prompt: 'user',
  slash_command: 'user',
  shell_command: 'user',
  interruption: 'user',
  compact_summary: 'user',
  meta: 'system',
  command_output: 'system',
  shell_output: 'system',
  system_reminder: 'system',
  hook: 'system',
  task_notification: 'system',
  teammate_message: 'system',
};

const INTERRUPTIONS: ReadonlySet<string> = new Set(['[Request interrupted by user]', '[Request interrupted by user for tool use]']);
const COMPACT_SUMMARY_START = 'This session is being continued from a previous conversation';

/** Injected texts that are wholly wrapped in one of these tags are not the human's words. */
const WRAPPER_TAGS: readonly [string, UserLineKind][] = [
  ['system-reminder', 'system_reminder'],
  ['user-prompt-submit-hook', 'hook'],
  ['task-notification', 'task_notification'],
  ['teammate-message', 'teammate_message'],
  ['local-command-caveat', 'meta'],
];

function wholly(text: string, tag: string): boolean {
  return text.startsWith(`<${tag}`) && text.endsWith(`</${tag}>`);
}

/** Classifies the text of a user line (first match wins, as in the spec's table). */
export function classifyUserText(raw: string): UserLineKind {
  const text = raw.trim();
  if (INTERRUPTIONS.has(text)) return 'interruption';
  if (text.startsWith(COMPACT_SUMMARY_START)) return 'compact_summary';
  if (text.includes('<command-name>') && (text.startsWith('<command-') || text.startsWith('<command-name>'))) return 'slash_command';
  if (text.startsWith('<local-command-stdout>') || text.startsWith('<local-command-stderr>')) return 'command_output';
  if (text.startsWith('<bash-input>')) return 'shell_command';
  if (text.startsWith('<bash-stdout>') || text.startsWith('<bash-stderr>')) return 'shell_output';
  for (const [tag, kind] of WRAPPER_TAGS) if (wholly(text, tag)) return kind;
  return 'prompt';
}

/** A chat message for a piece of a user line; metadata names its kind unless it is a plain prompt. */
export function userLineMessage(kind: UserLineKind, content: ContentBlock[]): ChatMessage {
  const message: ChatMessage = { role: ROLE_OF_KIND[kind], content };
  if (kind !== 'prompt') message.metadata = { kind };
  return message;
}

/**
 * The chat messages of a user record, without its `tool_result` blocks (those become `tool`
 * messages placed after the call they answer). Consecutive blocks of the same kind stay one
 * message; an injected reminder block next to a typed prompt becomes its own `system` message.
 */
export function userRecordMessages(record: RawRecord): ChatMessage[] {
  const blocks = contentBlocks(messageOf(record)?.content).filter((block) => block.type !== 'tool_result');
  if (blocks.length === 0) return [];
  const forced: UserLineKind | undefined =
    record.isCompactSummary === true ? 'compact_summary' : record.isMeta === true ? 'meta' : undefined;
  const messages: ChatMessage[] = [];
  let currentKind: UserLineKind | undefined;
  let currentContent: ContentBlock[] = [];
  const flush = (): void => {
    if (currentKind !== undefined && currentContent.length > 0) messages.push(userLineMessage(currentKind, currentContent));
    currentContent = [];
  };
  for (const block of blocks) {
    // Images and other blocks go with the text around them.
    const kind =
      forced ?? (block.type === 'text' && typeof block.text === 'string' ? classifyUserText(block.text) : (currentKind ?? 'prompt'));
    if (kind !== currentKind) {
      flush();
      currentKind = kind;
    }
    currentContent.push(toRowBlock(block));
  }
  flush();
  return messages;
}
