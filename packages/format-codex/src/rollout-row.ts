import type { RolloutDraft } from '@agent-rollout/core/format';
import type { JsonObject } from './records.js';
import type { ParsedRollout } from './rollout-parser.js';

export interface RowPlace {
  /** The format id written to `source_kind`. */
  sourceKind: string;
  /** What `source_path` says. */
  sourcePath: string;
  /** Used as the thread id when the file has no session line. */
  fallbackId: string;
  /** For a sub-agent thread: the id of the parent's call that spawned it. */
  parentSpawnCallId: string | undefined;
}

/** Turns one parsed rollout into its row (the derived columns are core's job). */
export function toRolloutDraft(parsed: ParsedRollout, place: RowPlace): RolloutDraft {
  const { session, builder } = parsed;
  const traceId = session.id ?? place.fallbackId;
  const subagent = session.subagent;
  const cwd = session.cwd ?? parsed.environmentCwd ?? null;
  // The top-level thread: a sub-agent's `session_id` names it; else its parent is the best we know.
  const rootFromMeta = session.rootId !== undefined && session.rootId !== traceId ? session.rootId : undefined;
  const rootSessionId = subagent ? (rootFromMeta ?? subagent.parentThreadId ?? traceId) : traceId;

  const meta: JsonObject = { generation: parsed.generation ?? null, ...session.toSourceMeta() };
  if (subagent) {
    meta.subagent = {
      kind: subagent.kind,
      parent_thread_id: subagent.parentThreadId ?? null,
      parent_spawn_call_id: place.parentSpawnCallId ?? null,
      depth: subagent.depth ?? null,
      agent_path: subagent.agentPath ?? null,
      agent_nickname: subagent.agentNickname ?? null,
      agent_role: subagent.agentRole ?? null,
    };
  }
  if (parsed.events.spawnedAgents.length > 0) meta.spawned_agents = parsed.events.spawnedAgents.map((agent) => ({ ...agent }));
  meta.human_turns = parsed.humanTurns;
  if (parsed.agentMessages > 0) meta.agent_messages = parsed.agentMessages;
  Object.assign(meta, parsed.tokens.toSourceMeta());
  meta.reasoning = {
    items: parsed.reasoningItems,
    encrypted_items: parsed.encryptedReasoningItems,
    attached: builder.stats.reasoningAttached,
    unattached: builder.stats.unattachedReasoning.length,
  };
  if (builder.stats.unattachedReasoning.length > 0) meta.unattached_reasoning = [...builder.stats.unattachedReasoning];
  if (parsed.compactions > 0) meta.compactions = parsed.compactions;
  if (parsed.events.abortedTurns > 0) meta.aborted_turns = parsed.events.abortedTurns;
  if (parsed.generation === 'bare' && parsed.replay.replayedTurns > 0) {
    meta.replayed_history = { turns: parsed.replay.replayedTurns, items: parsed.replay.replayedItems };
  }
  meta.record_types = parsed.recordTypes.toJSON();
  meta.item_types = parsed.itemTypes.toJSON();
  if (parsed.eventTypes.size > 0) meta.event_types = parsed.eventTypes.toJSON();
  if (parsed.unknownTypes.size > 0) meta.unknown_types = parsed.unknownTypes.toJSON();
  if (parsed.contentBlockTypes.size > 0) meta.content_block_types = parsed.contentBlockTypes.toJSON();
  if (builder.stats.orphanToolOutputs.length > 0) meta.orphan_tool_outputs = [...builder.stats.orphanToolOutputs];
  if (builder.stats.renamedCallIds.length > 0) meta.renamed_call_ids = [...builder.stats.renamedCallIds];

  return {
    trace_id: traceId,
    source_kind: place.sourceKind,
    source_path: place.sourcePath,
    root_session_id: rootSessionId,
    agent_id: subagent ? traceId : null,
    is_sidechain: subagent !== undefined,
    cwd,
    project_path: cwd,
    git_branch: session.gitBranch ?? null,
    started_at: parsed.times.startedAt,
    ended_at: parsed.times.endedAt,
    messages: builder.messages,
    source_meta: meta,
  };
}
