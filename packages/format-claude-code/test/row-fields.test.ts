import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMPOSED, readFolder } from './helpers.js';

const HOME = path.join(COMPOSED, 'claude-home');
const S = '11111111-1111-4111-8111-111111111111';

describe('rule 8: row fields', () => {
  it('fills cwd, branch, project path, chronological times and source_meta from the session and its index', async () => {
    const { rows } = await readFolder(HOME);
    const row = rows.find((r) => r.trace_id === S);
    expect(row).toMatchObject({
      source_kind: 'claude_code',
      source_path: path.join(HOME, 'projects', '-work-app', `${S}.jsonl`),
      root_session_id: S,
      agent_id: null,
      is_sidechain: false,
      cwd: '/work/app',
      project_path: '/work/app',
      git_branch: 'feature/x',
      // a7 was written last but carries the oldest time: times are chronological, not file order.
      started_at: '2026-02-04T11:59:59.000Z',
      ended_at: '2026-02-04T12:01:32.000Z',
    });
    expect(row?.source_meta).toMatchObject({
      session_id: S,
      cli_versions: ['2.1.20'],
      models: ['claude-opus-4-6'],
      title: 'TODO hunt',
      summary: 'Counting TODOs in src',
      first_prompt: 'Find every TODO in src/ and dump the build log',
      record_types: { assistant: 3, 'custom-title': 1, user: 3 },
      branches: { leaves: 1, abandoned_branches: 0, abandoned_records: 0 },
      tool_calls_without_result: 0,
      token_usage: {
        'claude-opus-4-6': {
          responses: 3,
          input_tokens: 14,
          output_tokens: 89,
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
        },
      },
    });
    // Messages keep tree order even though a7 has the oldest timestamp.
    expect(row?.final_assistant_message).toBe('Three TODOs; the build log is long.');
  });
});
