import type { ChatMessage, ContentBlock, ToolCall } from '@agent-rollout/core/format';
import type { ToolResult } from './tool-calls.js';

/** What the builder noticed while it built the messages, for `source_meta`. */
export interface TurnStats {
  /** Reasoning texts that attached to a message. */
  reasoningAttached: number;
  /** Reasoning texts never attached (cut by a user message or a turn boundary), in order. */
  unattachedReasoning: string[];
  /** Tool outputs whose call id no earlier call in the file made; they are not in `messages`. */
  orphanToolOutputs: string[];
  /** Call ids used twice in one file; the later calls got a `#n` suffix. */
  renamedCallIds: string[];
}

interface OpenAssistant {
  message: ChatMessage;
  reasoning: string[];
  phases: string[];
  /** True once a tool output followed the message: only a further parallel call may join it. */
  suspended: boolean;
}

/**
 * Builds the chat messages of one thread from its items in file order.
 *
 * One model response is one assistant message: consecutive assistant-side items (reasoning,
 * text, tool calls) form one message. Older CLIs (0.29, 0.34) record parallel calls as
 * call, output, call, output; a call that follows an output joins the message when no
 * response boundary (see {@link responseBoundary}) and no reasoning came between, so that
 * parallel calls stay in one message. Text or reasoning after an output always starts a new
 * response. Reasoning waits for the next assistant text or tool call of the same turn and is
 * dropped to `unattachedReasoning` at a user message or a turn boundary, so it never crosses
 * into another turn.
 */
export class TurnBuilder {
  readonly messages: ChatMessage[] = [];
  readonly stats: TurnStats = { reasoningAttached: 0, unattachedReasoning: [], orphanToolOutputs: [], renamedCallIds: [] };
  #open: OpenAssistant | undefined;
  #pendingReasoning: string[] = [];
  /** Original call id -> the id used in the row (differs only for a reused id). */
  readonly #callIds = new Map<string, string>();
  readonly #usedIds = new Set<string>();
  readonly #toolMessages = new Map<string, ChatMessage>();

  /** A message the model reads as instructions or injected context. */
  addSystem(content: ContentBlock[], metadata?: Record<string, unknown>): void {
    this.#closeAssistant();
    this.#dropPendingReasoning();
    this.messages.push(withMetadata({ role: 'system', content }, metadata));
  }

  /** A human turn (or, in a sub-agent thread, its task). */
  addUser(content: ContentBlock[], metadata?: Record<string, unknown>): void {
    this.#closeAssistant();
    this.#dropPendingReasoning();
    this.messages.push(withMetadata({ role: 'user', content }, metadata));
  }

  addReasoning(text: string): void {
    if (text.length > 0) this.#pendingReasoning.push(text);
  }

  addAssistantText(content: ContentBlock[], phase: string | undefined): void {
    const open = this.#ensureOpen(false);
    open.message.content.push(...content);
    if (phase !== undefined) open.phases.push(phase);
  }

  /**
   * A tool call. `mayJoin` is false where the file cannot tell responses apart (history a
   * resume copied into one batch), so a call after an output then starts a new message.
   */
  addToolCall(call: ToolCall, mayJoin = true): void {
    const open = this.#ensureOpen(mayJoin);
    let id = call.id;
    if (this.#usedIds.has(id)) {
      let n = 2;
      while (this.#usedIds.has(`${call.id}#${n}`)) n += 1;
      id = `${call.id}#${n}`;
      this.stats.renamedCallIds.push(call.id);
    }
    this.#usedIds.add(id);
    this.#callIds.set(call.id, id);
    open.message.tool_calls ??= [];
    open.message.tool_calls.push(id === call.id ? call : { ...call, id });
  }

  /** A tool output; it pairs with the latest call that used its call id. */
  addToolResult(result: ToolResult, metadata?: Record<string, unknown>): void {
    if (this.#open) this.#open.suspended = true;
    const id = result.callId === undefined ? undefined : this.#callIds.get(result.callId);
    if (id === undefined) {
      this.stats.orphanToolOutputs.push(result.callId ?? '(no call id)');
      return;
    }
    const message: ChatMessage = { role: 'tool', content: result.content, tool_call_id: id };
    if (result.isError !== undefined) message.is_error = result.isError;
    this.messages.push(withMetadata(message, metadata));
    this.#toolMessages.set(id, message);
  }

  /** Sets `is_error` from an event, for an output that did not say itself. */
  applyToolStatus(callId: string, isError: boolean): void {
    const id = this.#callIds.get(callId) ?? callId;
    const message = this.#toolMessages.get(id);
    if (message && message.is_error === undefined) message.is_error = isError;
  }

  /** The end of one model response (a token count, a state marker): the next item starts a new message. */
  responseBoundary(): void {
    this.#closeAssistant();
  }

  /** A turn boundary (task start or end, a new turn context, a compaction). */
  boundary(): void {
    this.#closeAssistant();
    this.#dropPendingReasoning();
  }

  finish(): ChatMessage[] {
    this.boundary();
    return this.messages;
  }

  #ensureOpen(joinsAfterOutput: boolean): OpenAssistant {
    if (this.#open?.suspended) {
      if (joinsAfterOutput && this.#pendingReasoning.length === 0) this.#open.suspended = false;
      else this.#closeAssistant();
    }
    if (!this.#open) {
      const message: ChatMessage = { role: 'assistant', content: [] };
      this.#open = { message, reasoning: [], phases: [], suspended: false };
      this.messages.push(message);
    }
    if (this.#pendingReasoning.length > 0) {
      this.#open.reasoning.push(...this.#pendingReasoning);
      this.stats.reasoningAttached += this.#pendingReasoning.length;
      this.#pendingReasoning = [];
    }
    return this.#open;
  }

  #closeAssistant(): void {
    const open = this.#open;
    if (!open) return;
    this.#open = undefined;
    if (open.reasoning.length > 0) open.message.reasoning_content = open.reasoning.join('\n\n');
    if (open.phases.length === 0) return;
    const phases = [...new Set(open.phases)];
    if (phases.length === 1) open.message.metadata = { ...open.message.metadata, phase: phases[0] };
    else if (phases.length > 1) open.message.metadata = { ...open.message.metadata, phases: open.phases };
  }

  #dropPendingReasoning(): void {
    if (this.#pendingReasoning.length === 0) return;
    this.stats.unattachedReasoning.push(...this.#pendingReasoning);
    this.#pendingReasoning = [];
  }
}

function withMetadata(message: ChatMessage, metadata: Record<string, unknown> | undefined): ChatMessage {
  if (metadata && Object.keys(metadata).length > 0) message.metadata = metadata;
  return message;
}
