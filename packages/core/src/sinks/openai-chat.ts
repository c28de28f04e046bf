import type { ChatMessage, ContentBlock, NormalizedRollout } from '../schema/row.js';

/** A content part OpenAI accepts in a user message. */
export type OpenAIContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: string } };

/** A tool call in OpenAI's chat format. */
export interface OpenAIToolCall {
  /** The call id that the answering `tool` message names. */
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/** An assistant message in OpenAI's chat format. */
export interface OpenAIAssistantMessage {
  role: 'assistant';
  /** Null when the message only calls tools. */
  content: string | null;
  tool_calls?: OpenAIToolCall[];
  /** Only with `keepReasoning`. */
  reasoning_content?: string;
}

/** A message of an OpenAI chat fine-tuning example: content is text, except images in user messages. */
export type OpenAIChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | OpenAIContentPart[] }
  | OpenAIAssistantMessage
  | { role: 'tool'; tool_call_id: string; content: string };

/** One line of an OpenAI chat fine-tuning file. */
export interface OpenAIChatExample {
  messages: OpenAIChatMessage[];
}

/** How rows are turned into OpenAI chat examples. */
export interface OpenAIChatOptions {
  /** Keep assistant reasoning as `reasoning_content` (not part of OpenAI's format). Default false. */
  keepReasoning?: boolean;
}

/** A row as an OpenAI chat example, or why it cannot be one. */
export type OpenAIChatConversion = { ok: true; example: OpenAIChatExample } | { ok: false; reason: string };

/** OpenAI's rule for function names. */
const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

class NotConvertible extends Error {}

function fail(reason: string): never {
  throw new NotConvertible(reason);
}

function textOf(blocks: readonly ContentBlock[], role: string): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (block.type === 'text') {
      if (typeof block.text === 'string' && block.text.length > 0) parts.push(block.text);
    } else if (block.type === 'image_url') {
      fail(`a ${role} message holds an image (OpenAI accepts images in user messages only)`);
    } else {
      fail(`a ${role} message holds a "${block.type}" block, which OpenAI chat content cannot hold`);
    }
  }
  return parts.join('\n\n');
}

function userContent(blocks: readonly ContentBlock[]): string | OpenAIContentPart[] {
  if (blocks.every((block) => block.type === 'text')) return textOf(blocks, 'user');
  const parts: OpenAIContentPart[] = [];
  for (const block of blocks) {
    if (block.type === 'text') {
      if (typeof block.text === 'string' && block.text.length > 0) parts.push({ type: 'text', text: block.text });
    } else if (block.type === 'image_url' && typeof block.image_url === 'object' && block.image_url !== null) {
      const image = block.image_url as { url: unknown; detail?: unknown };
      if (typeof image.url !== 'string') fail('a user image has no url');
      parts.push({
        type: 'image_url',
        image_url: typeof image.detail === 'string' ? { url: image.url, detail: image.detail } : { url: image.url },
      });
    } else {
      fail(`a user message holds a "${block.type}" block, which OpenAI chat content cannot hold`);
    }
  }
  return parts;
}

function convertCalls(message: ChatMessage): OpenAIToolCall[] {
  return (message.tool_calls ?? []).map((call) => {
    if (!FUNCTION_NAME.test(call.function.name)) {
      fail(`tool name "${call.function.name}" is not a valid OpenAI function name (letters, digits, _ and -, at most 64)`);
    }
    if (typeof call.function.arguments !== 'string') fail('tool call arguments are not a string');
    return { id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } };
  });
}

function convertMessages(row: NormalizedRollout, options: OpenAIChatOptions): OpenAIChatMessage[] {
  const out: OpenAIChatMessage[] = [];
  const answered = new Set<number>();
  const messages = row.messages;
  messages.forEach((message, index) => {
    if (message.role === 'tool') {
      if (answered.has(index)) return;
      fail('a tool message answers no tool call made before it');
    }
    if (message.role === 'system') {
      const text = textOf(message.content, 'system');
      if (text.length > 0) out.push({ role: 'system', content: text });
      return;
    }
    if (message.role === 'user') {
      const content = userContent(message.content);
      if (content.length > 0) out.push({ role: 'user', content });
      return;
    }
    const text = textOf(message.content, 'assistant');
    const calls = convertCalls(message);
    const reasoning = options.keepReasoning ? message.reasoning_content : undefined;
    if (text.length === 0 && calls.length === 0) return; // a turn that held only reasoning
    const assistant: OpenAIAssistantMessage = { role: 'assistant', content: text.length > 0 ? text : null };
    if (calls.length > 0) assistant.tool_calls = calls;
    if (reasoning) assistant.reasoning_content = reasoning;
    out.push(assistant);
    // OpenAI wants the answers to a message's calls right after it, in call order.
    for (const call of calls) {
      const answer = messages.findIndex((m, i) => i > index && !answered.has(i) && m.role === 'tool' && m.tool_call_id === call.id);
      if (answer < 0) fail('a tool call has no result');
      answered.add(answer);
      out.push({ role: 'tool', tool_call_id: call.id, content: textOf((messages[answer] as ChatMessage).content, 'tool') });
    }
  });
  if (!out.some((m) => m.role === 'assistant')) fail('no assistant message to learn from');
  return out;
}

/**
 * Turns a row into one OpenAI chat fine-tuning example: string content (user messages with
 * images use content parts), `tool_calls` with string arguments, each tool answer right
 * after the assistant message that called it, reasoning dropped unless asked for. A row
 * that cannot make a valid example comes back with the reason.
 */
export function toOpenAIChatExample(row: NormalizedRollout, options: OpenAIChatOptions = {}): OpenAIChatConversion {
  try {
    return { ok: true, example: { messages: convertMessages(row, options) } };
  } catch (error) {
    if (error instanceof NotConvertible) return { ok: false, reason: error.message };
    throw error;
  }
}
