import { type ChatMessage, type RolloutDraft, TimeRange } from '@agent-rollout/core/format';
import { attachmentKind } from './attachments.js';
import { buildMessages } from './build-messages.js';
import { type ClaudeCodeContext, type CopyOwner, ownerKey, type SpawnInfo } from './context.js';
import {
  assistantMessageId,
  isAssistantRecord,
  nonEmptyString,
  type RawRecord,
  recordType,
  SYNTHETIC_MODEL,
  type TreeRecord,
} from './records.js';
import { systemSubtype } from './system-records.js';
import { selectConversationPath } from './tree.js';
import { UsageCounter } from './usage.js';

/** Everything one row is built from. */
export interface RowInput {
  /** Absolute path of the file, written to `source_path`. */
  path: string;
  /** Relative path of the file under the read's root. */
  relativePath: string;
  /** The project folder (relative), the scope in which copies of lines are recognized. */
  projectDir: string;
  sessionId: string;
  /** Set for a subagent row. */
  agentId: string | null;
  /** Every record of this row, in file order (conversation and bookkeeping). */
  records: readonly RawRecord[];
  /** The conversation records of this row (a subset of `records`). */
  tree: readonly TreeRecord[];
  context: ClaudeCodeContext | undefined;
  /** Subagent rows: how the subagent was started. */
  spawn?: SpawnInfo;
  /** Parent rows: the trace ids of this session's subagents. */
  subagents?: readonly string[];
  /** Parent rows: internal helper and warm-up agents that were skipped. */
  helperAgentsSkipped?: number;
}

function sortedCounts(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Builds one row, or returns undefined when the records hold no conversation. */
export function buildRow(input: RowInput): RolloutDraft | undefined {
  const context = input.context;
  // The context holds only ids that several files share: most projects have none to look up.
  const responseOwners = context && hasProjectKeys(context.responseOwner, input.projectDir) ? context.responseOwner : undefined;
  const uuidOwners = context && hasProjectKeys(context.uuidOwner, input.projectDir) ? context.uuidOwner : undefined;
  const responseOwner = (id: string): CopyOwner | undefined => {
    if (responseOwners === undefined) return undefined;
    const owner = responseOwners[ownerKey(input.projectDir, id)];
    return owner && owner.file !== input.relativePath ? owner : undefined;
  };
  const selection = selectConversationPath(input.tree);
  const { messages, stats } = buildMessages(selection.path, selection.sideResults, {
    replayedFrom: (id) => responseOwner(id)?.sessionId,
  });
  if (!messages.some((message) => message.role === 'user' || message.role === 'assistant')) return undefined;

  const recordTypes = new Map<string, number>();
  const systemSubtypes = new Map<string, number>();
  const attachmentTypes = new Map<string, number>();
  const versions = new Set<string>();
  const models = new Set<string>();
  const entrypoints = new Set<string>();
  const times = new TimeRange();
  const usage = new UsageCounter();
  const replayedFrom = new Set<string>();
  let replayedResponses = 0;
  let replayedLines = 0;
  let title: string | undefined;
  const countedReplays = new Set<string>();

  for (const record of input.records) {
    const type = recordType(record);
    bump(recordTypes, type);
    times.add(record.timestamp);
    if (type === 'system') bump(systemSubtypes, systemSubtype(record));
    if (type === 'attachment') bump(attachmentTypes, attachmentKind(record));
    const version = nonEmptyString(record, 'version');
    if (version !== undefined) versions.add(version);
    const entrypoint = nonEmptyString(record, 'entrypoint');
    if (entrypoint !== undefined) entrypoints.add(entrypoint);
    if (type === 'custom-title') title = nonEmptyString(record, 'customTitle') ?? title;
    if (type === 'ai-title' && title === undefined) title = nonEmptyString(record, 'aiTitle');
    const uuid = nonEmptyString(record, 'uuid');
    const uuidOwner = uuid !== undefined && uuidOwners !== undefined ? uuidOwners[ownerKey(input.projectDir, uuid)] : undefined;
    if (uuidOwner && uuidOwner.file !== input.relativePath) {
      replayedLines += 1;
      replayedFrom.add(uuidOwner.sessionId);
    }
    if (!isAssistantRecord(record)) continue;
    const id = assistantMessageId(record);
    const owner = id === undefined ? undefined : responseOwner(id);
    if (owner !== undefined && id !== undefined) {
      // A response another file wrote first (resume or fork replay): its tokens count there.
      if (!countedReplays.has(id)) {
        countedReplays.add(id);
        replayedResponses += 1;
        replayedFrom.add(owner.sessionId);
      }
      continue;
    }
    const model = nonEmptyString((record.message ?? {}) as Record<string, unknown>, 'model');
    if (model !== undefined && model !== SYNTHETIC_MODEL) models.add(model);
    usage.add(record);
  }

  const onPath = selection.path;
  const first = (key: string): string | null => {
    for (const record of onPath) {
      const value = nonEmptyString(record, key);
      if (value !== undefined) return value;
    }
    for (const record of input.records) {
      const value = nonEmptyString(record, key);
      if (value !== undefined) return value;
    }
    return null;
  };
  const cwd = first('cwd');
  const gitBranch = first('gitBranch');
  const indexEntry = input.agentId === null ? context?.sessionIndex[input.sessionId] : undefined;

  const meta: Record<string, unknown> = { session_id: input.sessionId };
  meta.cli_versions = [...versions].sort();
  meta.models = [...models].sort();
  if (entrypoints.size > 0) meta.entrypoints = [...entrypoints].sort();
  title ??= indexEntry?.customTitle;
  if (title !== undefined) meta.title = title;
  const summary = indexEntry?.summary ?? summaryOnPath(input, onPath);
  if (summary !== undefined) meta.summary = summary;
  const firstPrompt = firstHumanPrompt(messages) ?? indexEntry?.firstPrompt;
  if (firstPrompt !== undefined) meta.first_prompt = firstPrompt;
  if (input.spawn?.toolUseId !== undefined) meta.parent_tool_call_id = input.spawn.toolUseId;
  if (input.spawn?.agentType !== undefined) meta.agent_type = input.spawn.agentType;
  if (input.spawn?.description !== undefined) meta.agent_description = input.spawn.description;
  if (input.subagents && input.subagents.length > 0) meta.subagents = [...input.subagents];
  if (input.helperAgentsSkipped) meta.helper_agents_skipped = input.helperAgentsSkipped;
  meta.record_types = sortedCounts(recordTypes);
  if (systemSubtypes.size > 0) meta.system_subtypes = sortedCounts(systemSubtypes);
  if (attachmentTypes.size > 0) meta.attachment_types = sortedCounts(attachmentTypes);
  if (Object.keys(stats.keptBlockTypes).length > 0) meta.kept_block_types = sortedCounts(new Map(Object.entries(stats.keptBlockTypes)));
  meta.branches = {
    leaves: selection.leaves,
    abandoned_branches: selection.abandonedBranches,
    abandoned_records: selection.abandonedRecords,
  };
  meta.tool_calls_without_result = stats.unansweredToolCalls;
  if (stats.orphanToolResults > 0) meta.orphan_tool_results = stats.orphanToolResults;
  if (stats.duplicateToolCalls > 0) meta.duplicate_tool_calls_dropped = stats.duplicateToolCalls;
  if (replayedResponses > 0 || replayedLines > 0) {
    meta.replayed = { responses: replayedResponses, lines: replayedLines, from_sessions: [...replayedFrom].sort() };
  }
  meta.token_usage = usage.totals();

  return {
    trace_id: input.agentId === null ? input.sessionId : `${input.sessionId}:${input.agentId}`,
    source_kind: 'claude_code',
    source_path: input.path,
    root_session_id: input.sessionId,
    agent_id: input.agentId,
    is_sidechain: input.agentId !== null,
    cwd,
    project_path: indexEntry?.projectPath ?? cwd,
    git_branch: gitBranch,
    started_at: times.startedAt,
    ended_at: times.endedAt,
    messages,
    source_meta: meta,
  };
}

/** The project folders that have keys (made by {@link ownerKey}) in a map of the context. */
const projectsWithKeys = new WeakMap<Record<string, unknown>, Set<string>>();

/** True when `record` has a key for the project folder; the folders are listed once per context. */
function hasProjectKeys(record: Record<string, unknown>, projectDir: string): boolean {
  let projects = projectsWithKeys.get(record);
  if (projects === undefined) {
    projects = new Set();
    for (const key in record) projects.add(key.slice(0, key.indexOf('\u0000')));
    projectsWithKeys.set(record, projects);
  }
  return projects.has(projectDir);
}

function firstHumanPrompt(messages: readonly ChatMessage[]): string | undefined {
  for (const message of messages) {
    if (message.role === 'user' && message.metadata === undefined) {
      const text = message.content
        .flatMap((block) => (block.type === 'text' && typeof block.text === 'string' ? [block.text] : []))
        .join('\n');
      if (text.length > 0) return text;
    }
  }
  return undefined;
}

/** The title of the branch the row follows: a `summary` whose leaf is on the path (the deepest wins). */
function summaryOnPath(input: RowInput, path: readonly TreeRecord[]): string | undefined {
  const local = new Map<string, string>();
  for (const record of input.records) {
    if (record.type === 'summary' && typeof record.leafUuid === 'string' && typeof record.summary === 'string')
      local.set(record.leafUuid, record.summary);
  }
  const elsewhere =
    input.context && hasProjectKeys(input.context.summaryByLeaf, input.projectDir) ? input.context.summaryByLeaf : undefined;
  if (local.size === 0 && elsewhere === undefined) return undefined;
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const uuid = path[i]?.uuid;
    if (uuid === undefined) continue;
    const found = local.get(uuid) ?? elsewhere?.[ownerKey(input.projectDir, uuid)];
    if (found !== undefined) return found;
  }
  return undefined;
}
