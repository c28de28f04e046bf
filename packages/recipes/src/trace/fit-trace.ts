import { type ChatMessage, messageText, type NormalizedRollout } from '@agent-rollout/core';
import { DEFAULT_TRACE_BUDGET } from '../defaults.js';

/** A rough token count: about four characters per token for English and code. Cheap and tokenizer-free. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface FitOptions {
  /** The most tokens the transcript may take. Default 6000. */
  budgetTokens?: number;
  /** How much of a tool call's arguments or result is kept in its one-line summary. Default 240 characters. */
  toolSummaryChars?: number;
}

/** A transcript fitted to a budget, and what was left out. */
export interface FittedTrace {
  text: string;
  estimatedTokens: number;
  /** Messages replaced by the elision marker. */
  elidedMessages: number;
}

/** Cuts a text to `max` characters, saying how much was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(0, max - 40);
  return `${text.slice(0, keep)} [... ${text.length - keep} more characters]`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The results of a row's tool calls, by call id. */
function toolResults(messages: readonly ChatMessage[]): Map<string, ChatMessage> {
  const results = new Map<string, ChatMessage>();
  for (const message of messages) {
    if (message.role === 'tool' && message.tool_call_id) results.set(message.tool_call_id, message);
  }
  return results;
}

/** One message as transcript text; each tool call becomes one summarized line with its outcome. */
function renderMessage(message: ChatMessage, results: Map<string, ChatMessage>, toolChars: number): string | undefined {
  if (message.role === 'tool') return undefined; // shown with its call
  const text = messageText(message);
  const lines: string[] = [];
  if (text) lines.push(`[${message.role}] ${text}`);
  for (const call of message.tool_calls ?? []) {
    const result = results.get(call.id);
    const outcome = result === undefined ? 'no result' : result.is_error ? 'ERROR' : 'ok';
    const output = result ? oneLine(messageText(result)) : '';
    lines.push(
      `[tool call] ${call.function.name}(${clip(oneLine(call.function.arguments), toolChars)}) -> ${outcome}${output ? `: ${clip(output, toolChars)}` : ''}`,
    );
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * Renders a row as a transcript that fits a token budget. The opening request and the final
 * answer are always kept (clipped if they alone are too long); every tool call is summarized
 * on one line with its outcome; when the rest does not fit, messages are kept from both ends
 * of the middle and the ones between are replaced by a marker saying how many were left out.
 */
export function fitTrace(row: Pick<NormalizedRollout, 'messages'>, options: FitOptions = {}): FittedTrace {
  const budget = options.budgetTokens ?? DEFAULT_TRACE_BUDGET;
  const toolChars = options.toolSummaryChars ?? 240;
  const results = toolResults(row.messages);
  const rendered = row.messages
    .map((message) => ({ message, text: renderMessage(message, results, toolChars) }))
    .filter((entry): entry is { message: ChatMessage; text: string } => entry.text !== undefined);
  if (rendered.length === 0) return { text: '(the session holds no messages with text)', estimatedTokens: 10, elidedMessages: 0 };

  const firstUser = Math.max(
    0,
    rendered.findIndex((entry) => entry.message.role === 'user'),
  );
  let lastAnswer = -1;
  for (let i = rendered.length - 1; i > firstUser; i -= 1) {
    const entry = rendered[i];
    if (entry?.message.role === 'assistant' && messageText(entry.message)) {
      lastAnswer = i;
      break;
    }
  }
  const budgetChars = budget * 4;
  // The two ends may take up to 40% of the budget each; the middle gets what is left.
  const opening = clip(rendered[firstUser]?.text ?? '', Math.floor(budgetChars * 0.4));
  const closing = lastAnswer === -1 ? '' : clip(rendered[lastAnswer]?.text ?? '', Math.floor(budgetChars * 0.4));
  const middle = rendered.slice(firstUser + 1, lastAnswer === -1 ? rendered.length : lastAnswer).map((entry) => entry.text);
  // System text before the request, kept short.
  const before = rendered.slice(0, firstUser).map((entry) => clip(entry.text, 400));

  let room = budgetChars - opening.length - closing.length - before.reduce((sum, text) => sum + text.length + 2, 0) - 200;
  const head: string[] = [];
  const tail: string[] = [];
  let lo = 0;
  let hi = middle.length - 1;
  // Alternate between the start and the end of the middle, so both the approach and the finish survive.
  for (let takeHead = true; lo <= hi; takeHead = !takeHead) {
    const candidate = takeHead ? middle[lo] : middle[hi];
    if (candidate === undefined || candidate.length + 1 > room) break;
    room -= candidate.length + 1;
    if (takeHead) {
      head.push(candidate);
      lo += 1;
    } else {
      tail.unshift(candidate);
      hi -= 1;
    }
  }
  const elided = hi - lo + 1;
  const parts = [
    ...before,
    opening,
    ...head,
    ...(elided > 0 ? [`[... ${elided} messages elided to fit the token budget ...]`] : []),
    ...tail,
    ...(closing ? [closing] : []),
  ];
  const text = parts.join('\n\n');
  return { text, estimatedTokens: estimateTokens(text), elidedMessages: elided };
}
