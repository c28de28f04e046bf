import { isBareSessionRecord, isEnvelope, type JsonObject } from './records.js';

/**
 * The rollout generations Codex has written, told apart by content (never by file name or date):
 * - `bare`: 0.29 and earlier JSONL: a bare session object, then bare response items and
 *   `{record_type: "state"}` markers;
 * - `envelope`: 0.34 to 0.16x: `{timestamp, type, payload}` lines with `event_msg` events
 *   such as `user_message` and `agent_reasoning`;
 * - `current`: the envelope plus an `ordinal` on every line, `world_state`,
 *   `token_usage_record` and `item_completed` events (0.169).
 */
export type Generation = 'bare' | 'envelope' | 'current';

const CURRENT_ONLY_RECORDS: ReadonlySet<string> = new Set(['world_state', 'token_usage_record', 'inter_agent_communication_metadata']);

/** The generation a line points to, or undefined when the line does not tell. */
export function generationOfLine(value: JsonObject): Generation | undefined {
  if (isEnvelope(value)) {
    if (typeof value.ordinal === 'number') return 'current';
    if (typeof value.type === 'string' && CURRENT_ONLY_RECORDS.has(value.type)) return 'current';
    const payload = value.payload as JsonObject;
    if (value.type === 'event_msg' && payload.type === 'item_completed') return 'current';
    return 'envelope';
  }
  if (value.record_type === 'state' || isBareSessionRecord(value)) return 'bare';
  if (typeof value.type === 'string') return 'bare';
  return undefined;
}

const RANK: Record<Generation, number> = { bare: 0, envelope: 1, current: 2 };

/**
 * Tracks a file's generation as its lines are read: the first telling line decides between
 * bare and envelope, and any current-only marker later upgrades an envelope file.
 */
export class GenerationDetector {
  #generation: Generation | undefined;

  observe(value: JsonObject): void {
    // Neither can change any more: the rest of the file need not be looked at.
    if (this.#generation === 'bare' || this.#generation === 'current') return;
    const seen = generationOfLine(value);
    if (seen === undefined) return;
    if (this.#generation === undefined) {
      this.#generation = seen;
      return;
    }
    if (RANK[seen] > RANK[this.#generation]) this.#generation = seen;
  }

  get generation(): Generation | undefined {
    return this.#generation;
  }
}
