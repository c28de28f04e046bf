/**
 * Small type guards for raw Codex lines. Raw lines are never validated with zod: these
 * guards only read the few fields the parser needs and leave everything else alone.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a non-empty string, else undefined. */
export function stringField(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function numberField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function objectField(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

export function arrayField(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The kinds of line a rollout holds, whatever the generation wrote them as. */
export type EntryKind =
  | 'session_meta'
  | 'response_item'
  | 'event_msg'
  | 'turn_context'
  | 'compacted'
  | 'state'
  | 'world_state'
  | 'token_usage_record'
  | 'inter_agent_communication_metadata';

const ENVELOPE_KINDS: ReadonlySet<string> = new Set<EntryKind>([
  'session_meta',
  'response_item',
  'event_msg',
  'turn_context',
  'compacted',
  'world_state',
  'token_usage_record',
  'inter_agent_communication_metadata',
]);

/** One line of a rollout, unwrapped from its envelope (or read as a bare record). */
export type RolloutEntry =
  | { kind: EntryKind; payload: JsonObject; timestamp: unknown; line: number }
  | { kind: 'unknown'; type: string; payload: JsonObject; timestamp: unknown; line: number };

/** True for a `{timestamp?, type, payload}` envelope line (0.34 and later). */
export function isEnvelope(value: JsonObject): boolean {
  return typeof value.type === 'string' && isObject(value.payload);
}

/** True for the bare session object that opens a 0.29-era file: `{id, timestamp, instructions?, git?}`. */
export function isBareSessionRecord(value: JsonObject): boolean {
  return typeof value.id === 'string' && 'timestamp' in value && !('type' in value) && !('payload' in value);
}

/**
 * Reads one line as an entry. Envelope lines are unwrapped; bare lines (older files) are a
 * session object, a `{record_type: "state"}` marker, or a bare response item.
 */
export function toEntry(value: JsonObject, line: number): RolloutEntry {
  if (isEnvelope(value)) {
    const type = value.type as string;
    const payload = value.payload as JsonObject;
    if (ENVELOPE_KINDS.has(type)) return { kind: type as EntryKind, payload, timestamp: value.timestamp, line };
    return { kind: 'unknown', type, payload, timestamp: value.timestamp, line };
  }
  if (value.record_type === 'state') return { kind: 'state', payload: value, timestamp: undefined, line };
  if (isBareSessionRecord(value)) return { kind: 'session_meta', payload: value, timestamp: value.timestamp, line };
  if (typeof value.type === 'string') return { kind: 'response_item', payload: value, timestamp: value.timestamp, line };
  const type = typeof value.record_type === 'string' ? `record_type:${value.record_type}` : 'untyped';
  return { kind: 'unknown', type, payload: value, timestamp: undefined, line };
}
