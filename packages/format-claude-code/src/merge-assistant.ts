import type { ChatMessage, ContentBlock, ToolCall } from '@agent-rollout/core/format';
import { isKeptAsIs, toRowBlock } from './blocks.js';
import { contentBlocks, messageOf, nonEmptyString, type RawRecord, SYNTHETIC_MODEL } from './records.js';

/**
 * One logical assistant turn being built from the lines the CLI wrote for one API response
 * (one line per content block, all with the same `message.id`).
 */
export class AssistantTurn {
  readonly messageId: string | undefined;
  readonly content: ContentBlock[] = [];
  readonly toolCalls: ToolCall[] = [];
  readonly #reasoning: string[] = [];
  readonly #metadata: Record<string, unknown> = {};
  #redactedThinking = 0;

  constructor(first: RawRecord) {
    this.messageId = nonEmptyString(messageOf(first) ?? {}, 'id');
    const model = nonEmptyString(messageOf(first) ?? {}, 'model');
    if (model !== undefined) this.#metadata.model = model;
    if (model === SYNTHETIC_MODEL) this.#metadata.synthetic = true;
    this.add(first);
  }

  /** True when `record` is another line of this same API response. */
  continues(record: RawRecord): boolean {
    const id = nonEmptyString(messageOf(record) ?? {}, 'id');
    return id !== undefined && id === this.messageId;
  }

  /** Appends the blocks of one line, in file order. */
  add(record: RawRecord): void {
    if (record.isApiErrorMessage === true) this.#metadata.api_error = true;
    for (const block of contentBlocks(messageOf(record)?.content)) {
      switch (block.type) {
        case 'thinking':
          // Since CLI 2.1.72 the text is often empty (signature only): no empty reasoning.
          if (typeof block.thinking === 'string' && block.thinking.length > 0) this.#reasoning.push(block.thinking);
          break;
        case 'redacted_thinking':
          this.#redactedThinking += 1;
          break;
        case 'tool_use':
          this.toolCalls.push(toToolCall(block));
          break;
        default:
          this.content.push(toRowBlock(block));
      }
    }
  }

  /** Block types kept unchanged in `content` (server tool blocks, documents, new types). */
  keptBlockTypes(): string[] {
    return this.content
      .filter((block) => isKeptAsIs(block as Record<string, unknown>) && block.type !== 'image_url')
      .map((block) => block.type);
  }

  toMessage(toolCalls: ToolCall[] = this.toolCalls): ChatMessage {
    const metadata = { ...this.#metadata };
    if (this.#redactedThinking > 0) metadata.redacted_thinking_blocks = this.#redactedThinking;
    const message: ChatMessage = { role: 'assistant', content: this.content };
    if (this.#reasoning.length > 0) message.reasoning_content = this.#reasoning.join('\n\n');
    if (toolCalls.length > 0) message.tool_calls = toolCalls;
    if (Object.keys(metadata).length > 0) message.metadata = metadata;
    return message;
  }
}

function toToolCall(block: Record<string, unknown>): ToolCall {
  const id = typeof block.id === 'string' && block.id.length > 0 ? block.id : 'tool_use_without_id';
  const name = typeof block.name === 'string' && block.name.length > 0 ? block.name : 'unknown_tool';
  // A stream cut mid-call can leave `input` missing or not an object; arguments must be an object's JSON.
  const input = typeof block.input === 'object' && block.input !== null && !Array.isArray(block.input) ? block.input : {};
  return { id, type: 'function', function: { name, arguments: JSON.stringify(input) } };
}
