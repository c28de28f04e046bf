import { open } from 'node:fs/promises';
import { AgentRolloutError } from '@agent-rollout/core';
import { isObject, stringField } from './records.js';

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
/** Every line that can name a spawn call holds this text; all other lines are never decoded or parsed. */
const MARKER = Buffer.from('"SubAgentActivity"');

/**
 * Reads the spawn calls a parent rollout records: sub-agent thread id -> the id of the call
 * that spawned it (from `item_completed` events whose item is a started `SubAgentActivity`).
 *
 * The parent is parsed in full on its own turn; this pass only looks for those few lines. It
 * searches the raw bytes for the item type and decodes and parses only the lines that hold it,
 * so it costs a read of the file, not a second parse, and holds at most one line in memory.
 */
export async function scanSpawnCalls(filePath: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const calls = new Map<string, string>();
  const handle = await open(filePath, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    // The start of a line that the previous chunks did not finish (copied: the chunk buffer is reused).
    let pending: Buffer[] = [];
    let first = true;
    for (;;) {
      if (signal?.aborted) throw new AgentRolloutError('aborted', `reading ${filePath} was aborted`);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      let bytes = chunk.subarray(0, bytesRead);
      if (first) {
        first = false;
        // A UTF-8 byte order mark is not part of the first line (as in core's line reader).
        if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
      }
      let start = 0;
      if (pending.length > 0) {
        const end = bytes.indexOf(NEWLINE);
        if (end === -1) {
          pending.push(Buffer.from(bytes));
          continue;
        }
        pending.push(bytes.subarray(0, end));
        const line = Buffer.concat(pending);
        pending = [];
        if (line.includes(MARKER)) readSpawnLine(line, 0, line.length, calls);
        start = end + 1;
      }
      for (let hit = bytes.indexOf(MARKER, start); hit !== -1; hit = bytes.indexOf(MARKER, start)) {
        const end = bytes.indexOf(NEWLINE, hit);
        if (end === -1) break;
        readSpawnLine(bytes, bytes.lastIndexOf(NEWLINE, hit) + 1, end, calls);
        start = end + 1;
      }
      const tail = Math.max(start, bytes.lastIndexOf(NEWLINE) + 1);
      if (tail < bytes.length) pending.push(Buffer.from(bytes.subarray(tail)));
    }
    if (pending.length > 0) {
      const line = Buffer.concat(pending);
      if (line.includes(MARKER)) readSpawnLine(line, 0, line.length, calls);
    }
  } finally {
    await handle.close();
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
