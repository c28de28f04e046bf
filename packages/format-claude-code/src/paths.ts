/** Folders under `~/.claude` (or a project folder) that never hold transcripts. */
const NON_SESSION_DIRS: ReadonlySet<string> = new Set([
  'tool-results',
  'file-history',
  'todos',
  'shell-snapshots',
  'session-env',
  'paste-cache',
  'plans',
  'debug',
  'statsig',
  'telemetry',
  'ide',
  'plugins',
  'teams',
  'backups',
  'commands',
  'agents',
  'skills',
]);

/** JSONL files that are bookkeeping, not transcripts. */
const NON_SESSION_FILES: ReadonlySet<string> = new Set(['history.jsonl', 'journal.jsonl']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const AGENT_FILE = /^agent-(.+)\.jsonl$/;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** What a relative path holds. */
export type TranscriptKind =
  | { kind: 'session'; projectDir: string; stem: string }
  | { kind: 'subagent'; projectDir: string; agentId: string; sessionIdFromPath: string | undefined }
  | { kind: 'other' };

/**
 * Classifies a relative path (POSIX separators):
 * - `<project>/<sessionId>/subagents/[...]/agent-<id>.jsonl`: subagent (CLI 2.1.2+);
 * - `<project>/agent-<id>.jsonl`: subagent (CLI 2.0.28 .. 2.1.1);
 * - any other `*.jsonl` outside the bookkeeping folders: a session transcript;
 * - everything else (history.jsonl, tool-results/, todos/, *.json ...): not a transcript.
 */
export function classifyPath(relativePath: string): TranscriptKind {
  const parts = relativePath.split('/');
  const base = parts[parts.length - 1] ?? '';
  if (!base.endsWith('.jsonl') || NON_SESSION_FILES.has(base)) return { kind: 'other' };
  if (parts.slice(0, -1).some((dir) => NON_SESSION_DIRS.has(dir))) return { kind: 'other' };
  const agent = AGENT_FILE.exec(base);
  const subagentsAt = parts.lastIndexOf('subagents');
  if (agent?.[1]) {
    if (subagentsAt >= 1) {
      const sessionDir = parts[subagentsAt - 1] ?? '';
      return {
        kind: 'subagent',
        projectDir: parts.slice(0, subagentsAt - 1).join('/'),
        agentId: agent[1],
        sessionIdFromPath: sessionDir || undefined,
      };
    }
    return { kind: 'subagent', projectDir: parts.slice(0, -1).join('/'), agentId: agent[1], sessionIdFromPath: undefined };
  }
  if (subagentsAt >= 0) return { kind: 'other' };
  return { kind: 'session', projectDir: parts.slice(0, -1).join('/'), stem: base.slice(0, -'.jsonl'.length) };
}

/**
 * True for files Claude Code writes that are known not to be transcripts (history, journals,
 * anything in the bookkeeping folders, non-JSONL files): they are skipped without a warning.
 */
export function isKnownBookkeeping(relativePath: string): boolean {
  const parts = relativePath.split('/');
  const base = parts[parts.length - 1] ?? '';
  return !base.endsWith('.jsonl') || NON_SESSION_FILES.has(base) || parts.slice(0, -1).some((dir) => NON_SESSION_DIRS.has(dir));
}

/**
 * Internal forks of the CLI (compaction helpers, side questions, prompt suggestions, ...) get
 * agent ids `a<label>-<hex>`, such as `acompact-e1f845`. Real subagents have hex ids.
 */
const HELPER_AGENT_ID = /^a([a-z][a-z_-]*?)-[0-9a-f]+$/;

/** The fork label of an internal helper agent id (`compact`, `side_question`, ...), else undefined. */
export function helperAgentLabel(agentId: string): string | undefined {
  return HELPER_AGENT_ID.exec(agentId)?.[1];
}
