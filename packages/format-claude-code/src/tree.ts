import { toEpochMs } from '@agent-rollout/core/format';
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

/** No record: a missing parent, or the end of a walk. */
const NONE = -1;

/**
 * The records as a tree of positions. A uuid written twice in one file counts once, as its
 * last copy (the CLI's own reader keeps the last copy); `kept` marks those copies.
 */
interface Tree {
  records: readonly TreeRecord[];
  /** Position of the kept copy of each uuid. */
  positionOf: Map<string, number>;
  kept: Uint8Array;
  /** Position of the parent (`parentUuid`) of each kept record, or NONE when it has none in the file. */
  parent: Int32Array;
  children: Uint32Array;
}

function buildTree(records: readonly TreeRecord[]): Tree {
  const positionOf = new Map<string, number>();
  records.forEach((record, position) => {
    positionOf.set(record.uuid, position);
  });
  const kept = new Uint8Array(records.length);
  const parent = new Int32Array(records.length).fill(NONE);
  const children = new Uint32Array(records.length);
  records.forEach((record, position) => {
    if (positionOf.get(record.uuid) !== position) return;
    kept[position] = 1;
    const parentUuid = nonEmptyString(record, 'parentUuid');
    const at = parentUuid === undefined ? undefined : positionOf.get(parentUuid);
    if (at !== undefined) {
      parent[position] = at;
      children[at] = (children[at] as number) + 1;
    }
  });
  return { records, positionOf, kept, parent, children };
}

/** The time of a record, for choosing among leaves (only leaves need it). */
function timeOf(record: TreeRecord): number {
  return toEpochMs(record.timestamp) ?? Number.NEGATIVE_INFINITY;
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
  const tree = buildTree(records);
  const leaves: number[] = [];
  for (let position = 0; position < records.length; position += 1) {
    if (tree.kept[position] === 1 && tree.children[position] === 0) leaves.push(position);
  }
  const newest =
    pickNewest(
      tree,
      leaves.filter((leaf) => !isParallelResultLeaf(tree, leaf)),
    ) ?? pickNewest(tree, leaves);
  if (newest === undefined) return { path: [], sideResults: [], leaves: 0, abandonedBranches: 0, abandonedRecords: 0 };

  const included = new Uint8Array(records.length);
  const reversed: TreeRecord[] = [];
  let current = newest;
  while (current !== NONE && included[current] === 0) {
    included[current] = 1;
    reversed.push(records[current] as TreeRecord);
    current = nextUp(tree, current, leaves, included);
  }
  const path = reversed.reverse();

  const calledIds = new Set<string>();
  for (const record of path) for (const id of toolUseIds(record)) calledIds.add(id);
  // In file order, kept copies only.
  const sideResults: TreeRecord[] = [];
  records.forEach((record, position) => {
    if (tree.kept[position] === 0 || included[position] === 1) return;
    if (answersOneOf(record, calledIds)) {
      sideResults.push(record);
      included[position] = 1;
    }
  });

  // An abandoned branch starts at a record left out whose parent is kept (or that has no parent).
  let abandonedBranches = 0;
  let abandonedRecords = 0;
  for (let position = 0; position < records.length; position += 1) {
    if (tree.kept[position] === 0 || included[position] === 1) continue;
    abandonedRecords += 1;
    const parent = tree.parent[position] as number;
    if (parent === NONE || included[parent] === 1) abandonedBranches += 1;
  }
  return { path, sideResults, leaves: leaves.length, abandonedBranches, abandonedRecords };
}

/**
 * A tool result hanging beside the chain of a parallel call (its parent line also continues
 * elsewhere). Its timestamp can be later than the real end of the session, so it is not
 * taken as the leaf the user ended on while another leaf exists.
 */
function isParallelResultLeaf(tree: Tree, position: number): boolean {
  if (toolResultIds(tree.records[position] as TreeRecord).length === 0) return false;
  const parent = tree.parent[position] as number;
  return parent !== NONE && (tree.children[parent] as number) > 1;
}

function pickNewest(tree: Tree, leaves: readonly number[]): number | undefined {
  let best: number | undefined;
  let bestTime = Number.NEGATIVE_INFINITY;
  for (const leaf of leaves) {
    const time = timeOf(tree.records[leaf] as TreeRecord);
    if (best === undefined || time > bestTime || (time === bestTime && leaf > best)) {
      best = leaf;
      bestTime = time;
    }
  }
  return best;
}

function nextUp(tree: Tree, current: number, leaves: readonly number[], onPath: Uint8Array): number {
  const record = tree.records[current] as TreeRecord;
  if (nonEmptyString(record, 'parentUuid') !== undefined) return tree.parent[current] as number;
  const logical = nonEmptyString(record, 'logicalParentUuid');
  if (logical !== undefined) return tree.positionOf.get(logical) ?? NONE;
  // Before CLI 1.0.115 a compaction left no boundary record: the summary simply starts a new root.
  if (record.isCompactSummary === true) {
    let best = NONE;
    for (const leaf of leaves) if (leaf < current && onPath[leaf] === 0 && leaf > best) best = leaf;
    return best;
  }
  return NONE;
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
