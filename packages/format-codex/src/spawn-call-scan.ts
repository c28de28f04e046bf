import { readLineChunks } from '@agent-rollout/core/format';
import { isObject, stringField } from './records.js';

const NEWLINE = 0x0a;
/** Every line that can name a spawn call holds this text; all other lines are never decoded or parsed. */
const MARKER = Buffer.from('"SubAgentActivity"');

/**
 * Reads the spawn calls a parent rollout records: sub-agent thread id -> the id of the call
 * that spawned it (from `item_completed` events whose item is a started `SubAgentActivity`).
 *
 * The parent is parsed in full on its own turn; this pass only looks for those few lines. It
 * searches the raw bytes for the item type and decodes and parses only the lines that hold it,
 * so it costs a read of the file, not a second parse, and holds one chunk of lines in memory.
 */
export async function scanSpawnCalls(filePath: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const calls = new Map<string, string>();
  for await (const chunk of readLineChunks(filePath, signal ? { signal } : {})) {
    let start = 0;
    for (let hit = chunk.indexOf(MARKER, start); hit !== -1; hit = chunk.indexOf(MARKER, start)) {
      const newline = chunk.indexOf(NEWLINE, hit);
      // Only the last chunk of a file that does not end with a newline has a line without one.
      const end = newline === -1 ? chunk.length : newline;
      readSpawnLine(chunk, chunk.lastIndexOf(NEWLINE, hit) + 1, end, calls);
      start = end + 1;
    }
  }
  return calls;
}

function readSpawnLine(bytes: Buffer, start: number, end: number, calls: Map<string, string>): void {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8', start, end));
  } catch {
    // Problems in the parent's lines are reported when the parent itself is parsed.
    return;
  }
  if (!isObject(value) || value.type !== 'event_msg' || !isObject(value.payload) || value.payload.type !== 'item_completed') return;
  const item = value.payload.item;
  if (!isObject(item) || item.type !== 'SubAgentActivity' || item.kind !== 'started') return;
  const callId = stringField(item.id);
  const thread = stringField(item.agent_thread_id);
  if (callId !== undefined && thread !== undefined && !calls.has(thread)) calls.set(thread, callId);
}
