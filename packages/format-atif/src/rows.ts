import type { RolloutDraft } from '@agent-rollout/core/format';
import { resolveReference } from './identity.js';
import { embeddedAgentId, subagentTraceId, type TrajectoryLink } from './links.js';
import { continuationPathOf, isObject, objectsOf, type RawObject, stringOf } from './raw.js';
import { convertSteps } from './steps.js';

/** The format id, written to every row's `source_kind`. */
export const ATIF_FORMAT_ID = 'atif';

/** Where a trajectory sits in its tree. */
export interface Placement {
  traceId: string;
  rootSessionId: string;
  agentId: string | null;
  isSidechain: boolean;
  /** How the row hangs under its parent; absent for a top-level trajectory. */
  parent?: {
    traceId: string;
    origin: 'embedded' | 'file' | 'continuation';
    stepId?: number;
    toolCallId?: string;
    segment?: number;
  };
}

/** What the row builder needs to know about the file being parsed. */
export interface FileEnvironment {
  /** Absolute path of the file. */
  path: string;
  /** Root directory of the read. */
  root: string;
  /** Path relative to the root, POSIX separators. */
  relativePath: string;
  /** The links of the read (which files hang under which). */
  links: Readonly<Record<string, TrajectoryLink>>;
  problem(message: string): void;
  warn(message: string): void;
}

type Workplace = { cwd: string | null; project_path: string | null; git_branch: string | null };

/** Where the agent worked: not in the spec, but producers put it in `agent.extra` (or the root `extra`). */
function workplace(doc: RawObject): Workplace {
  const agentExtra = isObject(doc.agent) && isObject(doc.agent.extra) ? doc.agent.extra : {};
  const rootExtra = isObject(doc.extra) ? doc.extra : {};
  const pick = (key: string) => stringOf(agentExtra[key]) ?? stringOf(rootExtra[key]) ?? null;
  const cwd = pick('cwd');
  return { cwd, project_path: pick('project_path') ?? cwd, git_branch: pick('git_branch') };
}

function toolNames(agent: RawObject): string[] {
  const names: string[] = [];
  for (const tool of objectsOf(agent.tool_definitions)) {
    const fn = isObject(tool.function) ? tool.function : tool;
    const name = stringOf(fn.name);
    if (name) names.push(name);
  }
  return names;
}

function placementMeta(placement: Placement): Record<string, unknown> {
  const { parent } = placement;
  if (!parent) return {};
  const meta: Record<string, unknown> = { parent_trace_id: parent.traceId, parent_origin: parent.origin };
  if (parent.stepId !== undefined) meta.parent_step_id = parent.stepId;
  if (parent.toolCallId !== undefined) meta.parent_tool_call_id = parent.toolCallId;
  if (parent.segment !== undefined) meta.continuation_segment = parent.segment;
  return meta;
}

/**
 * The rows of one trajectory: its own row first, then one sidechain row per embedded
 * subagent trajectory (v1.7 `subagent_trajectories[]`), depth first.
 */
export function trajectoryRows(doc: RawObject, placement: Placement, env: FileEnvironment, inherited?: Workplace): RolloutDraft[] {
  if (doc.subagent_trajectories !== undefined && !Array.isArray(doc.subagent_trajectories)) {
    env.problem('expected "subagent_trajectories" to be a list; the embedded subagents were left out');
  }
  const embedded = objectsOf(doc.subagent_trajectories);
  const embeddedIds = embedded.map((sub, i) => embeddedAgentId(sub, i));
  const embeddedParents = new Map<string, { stepId?: number; toolCallId?: string }>();

  const steps = convertSteps(Array.isArray(doc.steps) ? doc.steps : [], {
    trajectoryPath: env.path,
    problem: env.problem,
    traceIdOfRef: (ref) => {
      if (ref.trajectoryId && embeddedIds.includes(ref.trajectoryId)) return subagentTraceId(placement.rootSessionId, ref.trajectoryId);
      if (!ref.trajectoryPath) {
        env.warn(
          `a subagent reference to ${ref.trajectoryId ?? ref.sessionId ?? 'nothing'} matches no embedded trajectory and names no file`,
        );
        return null;
      }
      const target = resolveReference(env.root, env.relativePath, ref.trajectoryPath);
      const link = target ? env.links[target] : undefined;
      if (!target || !link || link.parentPath !== env.relativePath) {
        env.warn(`the subagent trajectory ${ref.trajectoryPath} is not among the files of this read; its row is missing`);
        return null;
      }
      return link.traceId;
    },
  });
  for (const ref of steps.refs) {
    if (ref.trajectory_id && embeddedIds.includes(ref.trajectory_id) && !embeddedParents.has(ref.trajectory_id)) {
      const where: { stepId?: number; toolCallId?: string } = {};
      if (ref.step_id !== null) where.stepId = ref.step_id;
      if (ref.source_call_id !== null) where.toolCallId = ref.source_call_id;
      embeddedParents.set(ref.trajectory_id, where);
    }
  }

  const agent = isObject(doc.agent) ? doc.agent : {};
  const sourceMeta: Record<string, unknown> = {
    schema_version: doc.schema_version ?? null,
    trajectory_id: stringOf(doc.trajectory_id) ?? null,
    session_id: stringOf(doc.session_id) ?? null,
    agent_name: stringOf(agent.name) ?? null,
    agent_version: stringOf(agent.version) ?? null,
    model_name: stringOf(agent.model_name) ?? null,
    models_used: steps.models,
    step_count: Array.isArray(doc.steps) ? doc.steps.length : 0,
    copied_context_step_count: steps.copiedStepIds.length,
    copied_context_step_ids: steps.copiedStepIds,
    observations_without_call: steps.observationsWithoutCall,
    subagent_trajectory_refs: steps.refs,
    embedded_subagent_count: embedded.length,
    continued_trajectory_ref: continuationPathOf(doc) ?? null,
    ...placementMeta(placement),
  };
  const tools = toolNames(agent);
  if (tools.length > 0) sourceMeta.tool_definition_names = tools;
  if (steps.usage.steps_with_metrics > 0) sourceMeta.step_usage = steps.usage;
  if (steps.contextManagementSteps > 0) sourceMeta.context_management_steps = steps.contextManagementSteps;
  if (steps.dispatchSteps > 0) sourceMeta.dispatch_steps = steps.dispatchSteps;
  if (Object.keys(steps.unknownTypes).length > 0) sourceMeta.unknown_content_types = steps.unknownTypes;
  if (isObject(doc.final_metrics)) sourceMeta.final_metrics = doc.final_metrics;
  if (typeof doc.notes === 'string' && doc.notes.length > 0) sourceMeta.notes = doc.notes;
  if (isObject(doc.extra)) sourceMeta.extra = doc.extra;

  // An embedded subagent that names no place worked where its parent did.
  const own = workplace(doc);
  const place = own.cwd === null && inherited ? inherited : own;
  const row: RolloutDraft = {
    trace_id: placement.traceId,
    source_kind: ATIF_FORMAT_ID,
    source_path: env.path,
    root_session_id: placement.rootSessionId,
    agent_id: placement.agentId,
    is_sidechain: placement.isSidechain,
    ...place,
    started_at: steps.times.startedAt,
    ended_at: steps.times.endedAt,
    messages: steps.messages,
    source_meta: sourceMeta,
  };

  const rows = [row];
  embedded.forEach((sub, i) => {
    const agentId = embeddedIds[i] ?? `subagent-${i + 1}`;
    const where = embeddedParents.get(agentId) ?? {};
    const child: Placement = {
      traceId: subagentTraceId(placement.rootSessionId, agentId),
      rootSessionId: placement.rootSessionId,
      agentId,
      isSidechain: true,
      parent: { traceId: placement.traceId, origin: 'embedded', ...where },
    };
    rows.push(...trajectoryRows(sub, child, env, place));
  });
  return rows;
}
