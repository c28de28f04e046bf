import { toEpochMs } from '@agent-rollout/core';
import { contentBlocks, isAssistantRecord, isObject, isUserRecord, messageOf, nonEmptyString, type TreeRecord } from './records.js';

/** The conversation the human ended on, and what was left aside. */
export interface PathSelection {
  /** Records of the chosen path, root first, in tree order (never re-sorted by time). */
  path: TreeRecord[];
  /**
   * Tool-result records that are not on the path but answer a tool call made on it (the
   * results of parallel calls hang off their own `tool_use` line, beside the path).
   */
  sideResults: TreeRecord[];
  /** Leaves of the tree (records nobody continues from). */
  leaves: number;
  /** Branches that were abandoned (rewinds, edited prompts, retries): how many, and their records. */
  abandonedBranches: number;
  abandonedRecords: number;
}

interface Indexed {
  record: TreeRecord;
  position: number;
}

/** The time of a record, for choosing among leaves (only leaves need it). */
function timeOf(entry: Indexed): number {
  return toEpochMs(entry.record.timestamp) ?? Number.NEGATIVE_INFINITY;
}

/**
 * Picks the conversation path the way the CLI resumes a session: the leaf with the newest
 * timestamp (later in the file on a tie), walked back to its root through `parentUuid`.
 * Where a compaction cut the chain (`parentUuid: null`), the walk goes on through
 * `logicalParentUuid`, and for files older than the compaction boundary record, from a
 * root compaction summary to the newest leaf written before it, so the row keeps the
 * whole session. Bookkeeping records such as `progress` must be in `records`: later lines
 * can hang off them.
 */
export function selectConversationPath(records: readonly TreeRecord[]): PathSelection {
  const byUuid = new Map<string, Indexed>();
  records.forEach((record, position) => {
    // A uuid written twice in one file: the CLI's own reader keeps the last copy.
    byUuid.set(record.uuid, { record, position });
  });
  const childCount = new Map<string, number>();
  for (const { record } of byUuid.values()) {
    const parent = nonEmptyString(record, 'parentUuid');
    if (parent !== undefined && byUuid.has(parent)) childCount.set(parent, (childCount.get(parent) ?? 0) + 1);
  }
  const leaves = [...byUuid.values()].filter((entry) => !childCount.has(entry.record.uuid));
  const newest = pickNewest(leaves.filter((leaf) => !isParallelResultLeaf(leaf.record, childCount))) ?? pickNewest(leaves);
  if (newest === undefined) return { path: [], sideResults: [], leaves: 0, abandonedBranches: 0, abandonedRecords: 0 };

  const onPath = new Set<string>();
  const reversed: TreeRecord[] = [];
  let current: Indexed | undefined = newest;
  while (current !== undefined && !onPath.has(current.record.uuid)) {
    onPath.add(current.record.uuid);
    reversed.push(current.record);
    current = nextUp(current, byUuid, leaves, onPath);
  }
  const path = reversed.reverse();

  const calledIds = new Set<string>();
  for (const record of path) for (const id of toolUseIds(record)) calledIds.add(id);
  const sideResults: TreeRecord[] = [];
  const included = new Set(onPath);
  // In file order; of a uuid written twice, the copy that was kept.
  records.forEach((record, position) => {
    if (included.has(record.uuid) || byUuid.get(record.uuid)?.position !== position) return;
    if (answersOneOf(record, calledIds)) {
      sideResults.push(record);
      included.add(record.uuid);
    }
  });

  // An abandoned branch starts at a record left out whose parent is kept (or that has no parent).
  let abandonedBranches = 0;
  let abandonedRecords = 0;
  for (const { record } of byUuid.values()) {
    if (included.has(record.uuid)) continue;
    abandonedRecords += 1;
    const parent = nonEmptyString(record, 'parentUuid');
    if (parent === undefined || !byUuid.has(parent) || included.has(parent)) abandonedBranches += 1;
  }
  return { path, sideResults, leaves: leaves.length, abandonedBranches, abandonedRecords };
}

/**
 * A tool result hanging beside the chain of a parallel call (its parent line also continues
 * elsewhere). Its timestamp can be later than the real end of the session, so it is not
 * taken as the leaf the user ended on while another leaf exists.
 */
function isParallelResultLeaf(record: TreeRecord, childCount: Map<string, number>): boolean {
  if (toolResultIds(record).length === 0) return false;
  const parent = nonEmptyString(record, 'parentUuid');
  return parent !== undefined && (childCount.get(parent) ?? 0) > 1;
}

function pickNewest(entries: readonly Indexed[]): Indexed | undefined {
  let best: Indexed | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    const time = timeOf(entry);
    if (best === undefined || time > bestTime || (time === bestTime && entry.position > best.position)) {
      best = entry;
      bestTime = time;
    }
  }
  return best;
}

function nextUp(current: Indexed, byUuid: Map<string, Indexed>, leaves: readonly Indexed[], onPath: Set<string>): Indexed | undefined {
  const { record } = current;
  const parent = nonEmptyString(record, 'parentUuid');
  if (parent !== undefined) return byUuid.get(parent);
  const logical = nonEmptyString(record, 'logicalParentUuid');
  if (logical !== undefined) return byUuid.get(logical);
  // Before CLI 1.0.115 a compaction left no boundary record: the summary simply starts a new root.
  if (record.isCompactSummary === true) {
    const earlier = leaves.filter((leaf) => leaf.position < current.position && !onPath.has(leaf.record.uuid));
    return earlier.reduce<Indexed | undefined>(
      (best, leaf) => (best === undefined || leaf.position > best.position ? leaf : best),
      undefined,
    );
  }
  return undefined;
}

/** Ids of the `tool_use` blocks of an assistant record. */
export function toolUseIds(record: TreeRecord): string[] {
  if (!isAssistantRecord(record)) return [];
  const ids: string[] = [];
  for (const block of contentBlocks(messageOf(record)?.content)) {
    if (block.type === 'tool_use' && typeof block.id === 'string') ids.push(block.id);
  }
  return ids;
}

/** True when a `tool_result` block of a user record answers one of `callIds` (no list built). */
function answersOneOf(record: TreeRecord, callIds: ReadonlySet<string>): boolean {
  if (!isUserRecord(record)) return false;
  const content = messageOf(record)?.content;
  if (!Array.isArray(content)) return isObject(content) && isAnswerTo(content, callIds);
  for (const block of content) if (isObject(block) && isAnswerTo(block, callIds)) return true;
  return false;
}

function isAnswerTo(block: Record<string, unknown>, callIds: ReadonlySet<string>): boolean {
  return block.type === 'tool_result' && typeof block.tool_use_id === 'string' && callIds.has(block.tool_use_id);
}

/** The `tool_use_id`s answered by the `tool_result` blocks of a user record. */
export function toolResultIds(record: TreeRecord): string[] {
  if (!isUserRecord(record)) return [];
  const ids: string[] = [];
  for (const block of contentBlocks(messageOf(record)?.content)) {
    if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') ids.push(block.tool_use_id);
  }
  return ids;
}
