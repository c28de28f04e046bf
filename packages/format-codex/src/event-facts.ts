import { isObject, type JsonObject, stringField } from './records.js';

/** A sub-agent the thread spawned, as its events tell. */
export interface SpawnedAgent {
  call_id: string;
  agent_thread_id: string;
  agent_path: string | null;
}

const BOUNDARY_EVENTS: ReadonlySet<string> = new Set(['task_started', 'task_complete', 'turn_started', 'turn_complete']);

/** Event types read or deliberately ignored (their facts are in response items). */
export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set([
  ...BOUNDARY_EVENTS,
  'token_count',
  'turn_aborted',
  'user_message',
  'agent_message',
  'agent_reasoning',
  'agent_reasoning_raw_content',
  'agent_reasoning_section_break',
  'exec_command_begin',
  'exec_command_end',
  'patch_apply_begin',
  'patch_apply_end',
  'item_started',
  'item_completed',
  'thread_settings_applied',
  'entered_review_mode',
  'exited_review_mode',
  'context_compacted',
  'web_search_begin',
  'web_search_end',
  'mcp_tool_call_begin',
  'mcp_tool_call_end',
  'view_image_tool_call',
  'error',
  'stream_error',
  'background_event',
]);

/**
 * The facts only events hold: turn boundaries, aborted turns, the success of tool calls whose
 * output does not state it, and the sub-agents a thread spawned. Conversation content is never
 * taken from events (it is in the response items too).
 */
export class EventFacts {
  /** Call id -> failed (true) or succeeded (false). */
  readonly toolStatus = new Map<string, boolean>();
  readonly spawnedAgents: SpawnedAgent[] = [];
  abortedTurns = 0;

  /** Reads one event; returns true when it marks a turn boundary. */
  observe(payload: JsonObject): boolean {
    const type = payload.type;
    if (typeof type !== 'string') return false;
    if (BOUNDARY_EVENTS.has(type)) return true;
    switch (type) {
      case 'turn_aborted':
        this.abortedTurns += 1;
        return true;
      case 'exec_command_end': {
        const callId = stringField(payload.call_id);
        if (callId !== undefined && typeof payload.exit_code === 'number') this.toolStatus.set(callId, payload.exit_code !== 0);
        return false;
      }
      case 'patch_apply_end': {
        const callId = stringField(payload.call_id);
        if (callId !== undefined && typeof payload.success === 'boolean') this.toolStatus.set(callId, !payload.success);
        return false;
      }
      case 'item_completed':
        if (isObject(payload.item)) this.#observeCompletedItem(payload.item);
        return false;
      default:
        return false;
    }
  }

  #observeCompletedItem(item: JsonObject): void {
    const id = stringField(item.id);
    if (id === undefined) return;
    if (item.type === 'SubAgentActivity') {
      const thread = stringField(item.agent_thread_id);
      if (item.kind === 'started' && thread !== undefined) {
        this.spawnedAgents.push({ call_id: id, agent_thread_id: thread, agent_path: stringField(item.agent_path) ?? null });
        this.toolStatus.set(id, false);
      }
      return;
    }
    if (typeof item.exit_code === 'number') {
      this.toolStatus.set(id, item.exit_code !== 0);
      return;
    }
    if (item.status === 'failed' || item.status === 'declined') this.toolStatus.set(id, true);
    else if (item.status === 'completed') this.toolStatus.set(id, false);
  }
}
