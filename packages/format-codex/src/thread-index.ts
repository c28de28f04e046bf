import path from 'node:path';
import { scanSpawnCalls } from './spawn-call-scan.js';

/** The thread id at the end of a rollout file name: `rollout-<time>-<thread id>.jsonl`. */
const THREAD_ID_IN_NAME = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl?$/i;

/** Parents whose spawn calls are kept; a parent evicted and needed again is scanned again. */
const CACHED_PARENTS = 64;

export function threadIdFromFileName(relativePath: string): string | undefined {
  return THREAD_ID_IN_NAME.exec(relativePath)?.[1]?.toLowerCase();
}

/**
 * Per-read index of the rollout files by thread id, so a sub-agent thread can find the
 * parent's spawn call: the parent's file holds a `SubAgentActivity` event whose id is the
 * spawn call id and whose `agent_thread_id` is the sub-agent. A parent's file is scanned
 * once for all its sub-agents (a byte search, not a parse; see {@link scanSpawnCalls}), and
 * the spawn calls of the most recently used parents are kept, so memory stays bounded
 * however many threads a read holds.
 */
export class ThreadIndex {
  readonly #root: string;
  readonly #files = new Map<string, string>();
  /** Parent file -> its spawn calls, least recently used first. */
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
    if (calls) {
      this.#spawnCalls.delete(relativePath);
    } else {
      calls = scanSpawnCalls(path.join(this.#root, relativePath), signal);
      if (this.#spawnCalls.size >= CACHED_PARENTS) this.#spawnCalls.delete(this.#spawnCalls.keys().next().value as string);
    }
    this.#spawnCalls.set(relativePath, calls);
    return (await calls).get(childThreadId);
  }
}
