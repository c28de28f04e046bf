import path from 'node:path';
import { readJsonlRecords } from '@agent-rollout/core';
import { isObject, stringField } from './records.js';

/** The thread id at the end of a rollout file name: `rollout-<time>-<thread id>.jsonl`. */
const THREAD_ID_IN_NAME = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl?$/i;

export function threadIdFromFileName(relativePath: string): string | undefined {
  return THREAD_ID_IN_NAME.exec(relativePath)?.[1]?.toLowerCase();
}

/**
 * Per-read index of the rollout files by thread id, so a sub-agent thread can find the
 * parent's spawn call: the parent's file holds a `SubAgentActivity` event whose id is the
 * spawn call id and whose `agent_thread_id` is the sub-agent. Each parent file is read at
 * most once per read.
 */
export class ThreadIndex {
  readonly #root: string;
  readonly #files = new Map<string, string>();
  readonly #spawnCalls = new Map<string, Promise<Map<string, string>>>();

  constructor(root: string, relativePaths: readonly string[]) {
    this.#root = root;
    for (const relativePath of relativePaths) {
      const id = threadIdFromFileName(relativePath);
      if (id !== undefined && !this.#files.has(id)) this.#files.set(id, relativePath);
    }
  }

  /** The relative path of a thread's rollout, if the read holds it. */
  fileOf(threadId: string): string | undefined {
    return this.#files.get(threadId.toLowerCase());
  }

  /** The id of the call in the parent thread that spawned `childThreadId`, if the parent's file says. */
  async spawnCallId(parentThreadId: string, childThreadId: string, signal?: AbortSignal): Promise<string | undefined> {
    const relativePath = this.fileOf(parentThreadId);
    if (relativePath === undefined) return undefined;
    let calls = this.#spawnCalls.get(relativePath);
    if (!calls) {
      calls = readSpawnCalls(path.join(this.#root, relativePath), signal);
      this.#spawnCalls.set(relativePath, calls);
    }
    return (await calls).get(childThreadId);
  }
}

async function readSpawnCalls(filePath: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const calls = new Map<string, string>();
  // Problems in the parent's lines are reported when the parent itself is parsed.
  const input = { path: filePath, signal, warn: () => {} };
  for await (const { value } of readJsonlRecords(input)) {
    if (value.type !== 'event_msg' || !isObject(value.payload) || value.payload.type !== 'item_completed') continue;
    const item = value.payload.item;
    if (!isObject(item) || item.type !== 'SubAgentActivity' || item.kind !== 'started') continue;
    const callId = stringField(item.id);
    const thread = stringField(item.agent_thread_id);
    if (callId !== undefined && thread !== undefined && !calls.has(thread)) calls.set(thread, callId);
  }
  return calls;
}
