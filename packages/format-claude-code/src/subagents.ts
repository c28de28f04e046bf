import { promptKey, promptText, type SpawnInfo } from './context.js';
import { helperAgentLabel } from './paths.js';
import { contentBlocks, isObject, isUserRecord, messageOf, nonEmptyString, SUBAGENT_TOOL_NAMES, type TreeRecord } from './records.js';
import { inFileSidechainAgentId, isWarmupPrompt } from './session-id.js';

/** One subagent run written into the parent's own file (CLI up to 2.0.27). */
export interface InFileSidechain {
  agentId: string;
  prompt: string | undefined;
  records: TreeRecord[];
}

/**
 * Splits the conversation records of a main transcript into the main conversation and the
 * subagent runs written into the same file (`isSidechain: true`). Each run is a chain of its
 * own whose root (`parentUuid: null`) holds the subagent's prompt.
 */
export function splitInFileSidechains(records: readonly TreeRecord[]): { main: TreeRecord[]; sidechains: InFileSidechain[] } {
  const main: TreeRecord[] = [];
  const side = new Map<string, TreeRecord>();
  for (const record of records) {
    if (record.isSidechain === true) side.set(record.uuid, record);
    else main.push(record);
  }
  const byRoot = new Map<string, TreeRecord[]>();
  for (const record of records) {
    if (record.isSidechain !== true) continue;
    const root = rootOf(record, side);
    const list = byRoot.get(root.uuid);
    if (list) list.push(record);
    else byRoot.set(root.uuid, [record]);
  }
  const sidechains: InFileSidechain[] = [];
  for (const [rootUuid, group] of byRoot) {
    const root = side.get(rootUuid);
    const prompt = root && isUserRecord(root) ? promptText(messageOf(root)?.content) : undefined;
    sidechains.push({
      agentId: inFileSidechainAgentId(rootUuid, root ? nonEmptyString(root, 'agentId') : undefined),
      prompt,
      records: group,
    });
  }
  return { main, sidechains };
}

function rootOf(record: TreeRecord, side: Map<string, TreeRecord>): TreeRecord {
  let current = record;
  const seen = new Set<string>([current.uuid]);
  for (;;) {
    const parent = nonEmptyString(current, 'parentUuid');
    const next = parent === undefined ? undefined : side.get(parent);
    if (next === undefined || seen.has(next.uuid)) return current;
    seen.add(next.uuid);
    current = next;
  }
}

/** The `Task` / `Agent` calls of a conversation, by session and prompt, to link in-file sidechains. */
export function spawnsByPrompt(sessionId: string, records: readonly TreeRecord[]): Map<string, SpawnInfo> {
  const spawns = new Map<string, SpawnInfo>();
  for (const record of records) {
    if (record.type !== 'assistant') continue;
    for (const block of contentBlocks(messageOf(record)?.content)) {
      if (block.type !== 'tool_use' || typeof block.name !== 'string' || !SUBAGENT_TOOL_NAMES.has(block.name)) continue;
      const input = isObject(block.input) ? block.input : {};
      if (typeof input.prompt !== 'string') continue;
      const info: SpawnInfo = {};
      if (typeof block.id === 'string') info.toolUseId = block.id;
      if (typeof input.subagent_type === 'string') info.agentType = input.subagent_type;
      if (typeof input.description === 'string') info.description = input.description;
      spawns.set(promptKey(sessionId, input.prompt), info);
    }
  }
  return spawns;
}

/** Why an agent transcript is not a subagent row (an internal helper or a warm-up), else undefined. */
export function agentSkipReason(agentId: string | undefined, firstPrompt: string | undefined): string | undefined {
  const label = agentId === undefined ? undefined : helperAgentLabel(agentId);
  if (label !== undefined) return `internal helper agent "${label}" of the CLI (not a subagent the model started)`;
  if (isWarmupPrompt(firstPrompt)) return 'warm-up agent (its only prompt is "Warmup"), not a subagent the model started';
  return undefined;
}

/** Merges what several sources know about a spawn; earlier sources win. */
export function mergeSpawnInfo(...sources: (SpawnInfo | undefined)[]): SpawnInfo {
  const merged: SpawnInfo = {};
  for (const source of sources) {
    if (!source) continue;
    merged.toolUseId ??= source.toolUseId;
    merged.agentType ??= source.agentType;
    merged.description ??= source.description;
  }
  for (const key of Object.keys(merged) as (keyof SpawnInfo)[]) if (merged[key] === undefined) delete merged[key];
  return merged;
}
