import { type JsonObject, objectField, stringField } from './records.js';

/** What `session_meta.source.subagent` says about a sub-agent thread. */
export interface SubagentLink {
  /** `thread_spawn` for a spawned agent; other sources (`review`, `compact`, ...) as Codex names them. */
  kind: string;
  /** The thread that spawned it, when the file names one. */
  parentThreadId: string | undefined;
  depth: number | undefined;
  agentPath: string | undefined;
  agentNickname: string | undefined;
  agentRole: string | undefined;
}

/** The settings of one turn, from `turn_context`. */
export interface TurnSettings {
  turn_id: string | null;
  model: string | null;
  effort: string | null;
  summary: string | null;
  approval_policy: string | null;
  sandbox_policy: string | null;
  collaboration_mode: string | null;
}

/**
 * What the session line and the turn contexts say about a thread: its id, where it ran,
 * which CLI wrote it, its models and policies per turn, and its place in a multi-agent tree.
 */
export class SessionInfo {
  id: string | undefined;
  /** `session_meta.session_id`: for a sub-agent thread, the id of its root thread. */
  rootId: string | undefined;
  timestamp: unknown;
  cwd: string | undefined;
  gitBranch: string | undefined;
  git: JsonObject | undefined;
  subagent: SubagentLink | undefined;
  readonly meta: JsonObject = {};
  /** Ids of further `session_meta` lines with another id (a file should hold one thread). */
  readonly otherSessionIds: string[] = [];
  readonly turns: TurnSettings[] = [];
  #humanTurnsAtLastContext = -1;

  observeSessionMeta(payload: JsonObject): void {
    const id = stringField(payload.id);
    if (this.id !== undefined) {
      // Resumed sessions do not repeat it; a repeat with the same id adds nothing.
      if (id !== undefined && id !== this.id && !this.otherSessionIds.includes(id)) this.otherSessionIds.push(id);
      return;
    }
    this.id = id;
    this.rootId = stringField(payload.session_id);
    this.timestamp = payload.timestamp;
    this.cwd = stringField(payload.cwd);
    const git = objectField(payload.git);
    if (git) {
      this.git = git;
      this.gitBranch = stringField(git.branch);
    }
    for (const key of ['cli_version', 'originator', 'model_provider', 'thread_source', 'multi_agent_version'] as const) {
      const value = stringField(payload[key]);
      if (value !== undefined) this.meta[key] = value;
    }
    if (payload.source !== undefined) this.meta.source = payload.source as JsonObject | string;
    this.subagent = readSubagentLink(payload);
  }

  /**
   * Records a turn's settings. Current files name the turn (`turn_id`); older ones write a
   * turn context before every model request, so a context opens a new turn entry only when
   * a human turn came since the last one or a setting changed.
   */
  observeTurnContext(payload: JsonObject, humanTurns: number): void {
    const settings: TurnSettings = {
      turn_id: stringField(payload.turn_id) ?? null,
      model: stringField(payload.model) ?? null,
      effort:
        stringField(payload.effort) ??
        stringField(objectField(objectField(payload.collaboration_mode)?.settings)?.reasoning_effort) ??
        null,
      summary: stringField(payload.summary) ?? null,
      approval_policy: stringField(payload.approval_policy) ?? null,
      sandbox_policy: stringField(objectField(payload.sandbox_policy)?.type) ?? stringField(payload.sandbox_policy) ?? null,
      collaboration_mode: stringField(objectField(payload.collaboration_mode)?.mode) ?? null,
    };
    this.cwd ??= stringField(payload.cwd);
    const last = this.turns.at(-1);
    const sameTurn =
      last !== undefined &&
      (settings.turn_id !== null
        ? settings.turn_id === last.turn_id
        : humanTurns === this.#humanTurnsAtLastContext && sameSettings(last, settings));
    if (sameTurn) {
      this.turns[this.turns.length - 1] = settings;
    } else {
      this.turns.push(settings);
    }
    this.#humanTurnsAtLastContext = humanTurns;
  }

  /** `source_meta` entries for the session and its turns. */
  toSourceMeta(): JsonObject {
    const out: JsonObject = { ...this.meta };
    if (this.git) out.git = this.git;
    if (this.turns.length > 0) {
      out.models = distinct(this.turns.map((turn) => turn.model));
      out.reasoning_efforts = distinct(this.turns.map((turn) => turn.effort));
      const last = this.turns.at(-1) as TurnSettings;
      if (last.approval_policy !== null) out.approval_policy = last.approval_policy;
      if (last.sandbox_policy !== null) out.sandbox_policy = last.sandbox_policy;
      out.turns = this.turns.map((turn) => ({ ...turn }));
    }
    if (this.otherSessionIds.length > 0) out.other_session_ids = [...this.otherSessionIds];
    return out;
  }
}

/** True when every setting of two turns is the same (all are strings or null). */
function sameSettings(a: TurnSettings, b: TurnSettings): boolean {
  return (
    a.turn_id === b.turn_id &&
    a.model === b.model &&
    a.effort === b.effort &&
    a.summary === b.summary &&
    a.approval_policy === b.approval_policy &&
    a.sandbox_policy === b.sandbox_policy &&
    a.collaboration_mode === b.collaboration_mode
  );
}

function distinct(values: (string | null)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== null))];
}

function readSubagentLink(payload: JsonObject): SubagentLink | undefined {
  const subagent = objectField(payload.source)?.subagent;
  if (subagent === undefined || subagent === null) return undefined;
  const spawn = objectField(objectField(subagent)?.thread_spawn);
  const kind = typeof subagent === 'string' ? subagent : (Object.keys(objectField(subagent) ?? {})[0] ?? 'unknown');
  const id = stringField(payload.id);
  const sessionId = stringField(payload.session_id);
  return {
    kind,
    parentThreadId:
      stringField(spawn?.parent_thread_id) ?? stringField(payload.parent_thread_id) ?? (sessionId !== id ? sessionId : undefined),
    depth: typeof spawn?.depth === 'number' ? spawn.depth : undefined,
    agentPath: stringField(spawn?.agent_path),
    agentNickname: stringField(spawn?.agent_nickname),
    agentRole: stringField(spawn?.agent_role),
  };
}
