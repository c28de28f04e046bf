import type { NormalizedRollout } from './row.js';

/** The column order of a row, as every sink writes it. */
export const ROLLOUT_COLUMNS = [
  'trace_id',
  'source_kind',
  'source_path',
  'root_session_id',
  'agent_id',
  'is_sidechain',
  'cwd',
  'project_path',
  'git_branch',
  'started_at',
  'ended_at',
  'messages',
  'source_meta',
  'message_count',
  'tool_call_count',
  'final_assistant_message',
] as const satisfies readonly (keyof NormalizedRollout)[];
