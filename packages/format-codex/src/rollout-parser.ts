import { type ContentBlock, type JsonlRecord, TimeRange } from '@agent-rollout/core/format';
import { type BlockCounter, textOf, toContentBlocks } from './content.js';
import { Counter } from './counters.js';
import { EventFacts, KNOWN_EVENT_TYPES } from './event-facts.js';
import { type Generation, GenerationDetector } from './generation.js';
import { classifyUserMessage, cwdFromEnvironmentContext } from './injected-context.js';
import { arrayField, isObject, type JsonObject, type RolloutEntry, stringField, toEntry } from './records.js';
import { ReplayDetector } from './replay-detector.js';
import { SessionInfo } from './session-info.js';
import { TokenTracker } from './tokens.js';
import { TOOL_CALL_TYPES, TOOL_OUTPUT_TYPES, toToolCall, toToolResult } from './tool-calls.js';
import { TurnBuilder } from './turn-builder.js';

/** Response item types that are read, or known and deliberately left out of the messages. */
const IGNORED_ITEM_TYPES: ReadonlySet<string> = new Set(['ghost_snapshot']);

/** Everything one pass over a rollout file learned. */
export interface ParsedRollout {
  generation: Generation | undefined;
  session: SessionInfo;
  builder: TurnBuilder;
  tokens: TokenTracker;
  events: EventFacts;
  times: TimeRange;
  recordTypes: Counter;
  itemTypes: Counter;
  eventTypes: Counter;
  unknownTypes: Counter;
  contentBlockTypes: Counter;
  humanTurns: number;
  /** Messages from other agents (a sub-agent's task, a sub-agent's answer). */
  agentMessages: number;
  reasoningItems: number;
  encryptedReasoningItems: number;
  compactions: number;
  replay: ReplayDetector;
  /** cwd read from the first environment block, for files whose session line has none. */
  environmentCwd: string | undefined;
  records: number;
}

export interface ParseHooks {
  /** A tool output that answers no earlier call (`line` is where it is). */
  onOrphanOutput(callId: string, line: number): void;
}

/** What the steps of one pass share, made once per file rather than once per line. */
interface Reading {
  hooks: ParseHooks;
  countBlock: BlockCounter;
  /** Item type -> its `item_completed:<type>` counter name. */
  completedItemKeys: Map<string, string>;
}

/**
 * Reads the records of one rollout file, in order, into messages and facts. Works for every
 * generation: the envelope is unwrapped per line, so bare, envelope and current files go
 * through the same steps.
 */
export async function parseRolloutRecords(records: AsyncIterable<JsonlRecord>, hooks: ParseHooks): Promise<ParsedRollout> {
  const detector = new GenerationDetector();
  const state: ParsedRollout = {
    generation: undefined,
    session: new SessionInfo(),
    builder: new TurnBuilder(),
    tokens: new TokenTracker(),
    events: new EventFacts(),
    times: new TimeRange(),
    recordTypes: new Counter(),
    itemTypes: new Counter(),
    eventTypes: new Counter(),
    unknownTypes: new Counter(),
    contentBlockTypes: new Counter(),
    humanTurns: 0,
    agentMessages: 0,
    reasoningItems: 0,
    encryptedReasoningItems: 0,
    compactions: 0,
    replay: new ReplayDetector(),
    environmentCwd: undefined,
    records: 0,
  };
  const reading: Reading = {
    hooks,
    countBlock: (blockType) => state.contentBlockTypes.add(blockType),
    completedItemKeys: new Map(),
  };
  for await (const record of records) {
    state.records += 1;
    detector.observe(record.value);
    state.generation = detector.generation;
    const entry = toEntry(record.value, record.line);
    state.recordTypes.add(entry.kind === 'unknown' ? entry.type : entry.kind);
    state.times.add(entry.timestamp);
    readEntry(state, entry, reading);
  }
  state.replay.endBatch();
  for (const [callId, isError] of state.events.toolStatus) state.builder.applyToolStatus(callId, isError);
  state.builder.finish();
  return state;
}

function readEntry(state: ParsedRollout, entry: RolloutEntry, reading: Reading): void {
  switch (entry.kind) {
    case 'session_meta':
      state.session.observeSessionMeta(entry.payload);
      state.times.add(entry.payload.timestamp);
      return;
    case 'response_item':
      readResponseItem(state, entry.payload, entry.line, reading);
      return;
    case 'event_msg':
      readEvent(state, entry.payload, reading);
      return;
    case 'turn_context':
      state.builder.boundary();
      state.session.observeTurnContext(entry.payload, state.humanTurns);
      return;
    case 'compacted':
      readCompaction(state, entry.payload);
      return;
    case 'token_usage_record':
      state.tokens.observeUsageRecord(entry.payload);
      state.builder.responseBoundary();
      return;
    case 'state':
      state.replay.endBatch();
      state.builder.responseBoundary();
      return;
    case 'world_state':
    case 'inter_agent_communication_metadata':
      // Settings snapshots and delivery flags: nothing for the conversation.
      return;
    case 'unknown':
      state.unknownTypes.add(`record:${entry.type}`);
      return;
  }
}

function readEvent(state: ParsedRollout, payload: JsonObject, reading: Reading): void {
  const type = typeof payload.type === 'string' ? payload.type : 'untyped';
  state.eventTypes.add(type);
  if (!KNOWN_EVENT_TYPES.has(type)) state.unknownTypes.add(`event_msg:${type}`);
  if (type === 'token_count') {
    // Written once per model response: the next assistant item belongs to another response.
    state.tokens.observeTokenCountEvent(payload);
    state.builder.responseBoundary();
    return;
  }
  if (type === 'item_completed' && isObject(payload.item) && typeof payload.item.type === 'string') {
    const itemType = payload.item.type;
    let key = reading.completedItemKeys.get(itemType);
    if (key === undefined) {
      key = `item_completed:${itemType}`;
      reading.completedItemKeys.set(itemType, key);
    }
    state.eventTypes.add(key);
  }
  if (state.events.observe(payload)) state.builder.boundary();
}

function readCompaction(state: ParsedRollout, payload: JsonObject): void {
  state.compactions += 1;
  state.builder.boundary();
  const summary = stringField(payload.message) ?? '';
  // The replacement history restates messages already in the row: it is not added again.
  const replaced = arrayField(payload.replacement_history).length;
  const metadata: Record<string, unknown> = { compaction: true };
  if (replaced > 0) metadata.replaced_items = replaced;
  state.builder.addSystem(summary.length > 0 ? [{ type: 'text', text: summary }] : [], metadata);
}

function readResponseItem(state: ParsedRollout, item: JsonObject, line: number, reading: Reading): void {
  const type = item.type as string;
  state.itemTypes.add(type);
  const { countBlock, hooks } = reading;
  if (type === 'message') {
    readMessage(state, item, toContentBlocks(item.content, countBlock));
    return;
  }
  if (type === 'reasoning') {
    readReasoning(state, item);
    state.replay.item('assistant');
    return;
  }
  if (TOOL_CALL_TYPES.has(type)) {
    // A batch that holds a human prompt is copied history, where responses cannot be told apart.
    state.builder.addToolCall(toToolCall(item, line), state.generation !== 'bare' || !state.replay.batchHasHuman);
    state.replay.item('assistant');
    return;
  }
  if (TOOL_OUTPUT_TYPES.has(type)) {
    const result = toToolResult(item, countBlock);
    const before = state.builder.stats.orphanToolOutputs.length;
    const metadata = result.exitCode === undefined ? undefined : { exit_code: result.exitCode };
    state.builder.addToolResult(result, metadata);
    if (state.builder.stats.orphanToolOutputs.length > before) hooks.onOrphanOutput(result.callId ?? '(no call id)', line);
    state.replay.item('other');
    return;
  }
  if (type === 'agent_message') {
    // Inter-agent mail: a sub-agent's task arrives this way, and its answer returns to the parent.
    state.agentMessages += 1;
    const metadata: Record<string, unknown> = { agent_message: true };
    const author = stringField(item.author);
    const recipient = stringField(item.recipient);
    if (author !== undefined) metadata.author = author;
    if (recipient !== undefined) metadata.recipient = recipient;
    state.builder.addUser(toContentBlocks(item.content, countBlock), metadata);
    state.replay.item('other');
    return;
  }
  if (IGNORED_ITEM_TYPES.has(type)) return;
  state.unknownTypes.add(`response_item:${type}`);
}

function readMessage(state: ParsedRollout, item: JsonObject, content: ContentBlock[]): void {
  const role = item.role;
  if (role === 'assistant') {
    state.builder.addAssistantText(content, stringField(item.phase));
    state.replay.item('assistant');
    return;
  }
  if (role === 'user') {
    const text = textOf(content);
    const injected = classifyUserMessage(item, text);
    if (injected !== undefined) {
      if (injected === 'environment_context') state.environmentCwd ??= cwdFromEnvironmentContext(text);
      state.builder.addSystem(content, { injected, source_role: 'user' });
      state.replay.item('other');
      return;
    }
    state.humanTurns += 1;
    state.builder.addUser(content);
    state.replay.item('human');
    return;
  }
  // developer and system messages: instructions the model reads as system text.
  const sourceRole = typeof role === 'string' ? role : 'unknown';
  state.builder.addSystem(content, sourceRole === 'system' ? undefined : { source_role: sourceRole });
  state.replay.item('other');
}

function readReasoning(state: ParsedRollout, item: JsonObject): void {
  state.reasoningItems += 1;
  if (typeof item.encrypted_content === 'string' && item.encrypted_content.length > 0) state.encryptedReasoningItems += 1;
  const raw = textsOf(item.content);
  const summary = textsOf(item.summary);
  // Raw reasoning, when the CLI kept it, is what the model thought; summaries abridge it.
  const text = (raw.length > 0 ? raw : summary).join('\n\n');
  state.builder.addReasoning(text);
}

function textsOf(value: unknown): string[] {
  const out: string[] = [];
  for (const part of arrayField(value)) {
    if (typeof part === 'string' && part.length > 0) out.push(part);
    else if (isObject(part) && typeof part.text === 'string' && part.text.length > 0) out.push(part.text);
  }
  return out;
}
