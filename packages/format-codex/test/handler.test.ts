import path from 'node:path';
import { defaultRegistry } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { CodexFormat } from '../src/index.js';
import { ThreadIndex } from '../src/thread-index.js';
import { COMPOSED } from './helpers.js';

describe('CodexFormat', () => {
  const format = new CodexFormat();

  it('registers itself in the default registry on import, naming its package and module', () => {
    const registration = defaultRegistry().getRegistration('codex');
    expect(registration?.handler).toBeInstanceOf(CodexFormat);
    expect(registration).toMatchObject({ packageName: '@agent-rollout/format-codex', packageVersion: pkg.version });
    expect(registration?.moduleUrl).toMatch(/\/src\/index\.ts$/);
  });

  it('describes itself', () => {
    expect(format.id).toBe('codex');
    expect(format.displayName).toBe('Codex');
    expect(format.defaults).toEqual({ path: '~/.codex/sessions', filePattern: '*.jsonl' });
  });

  it('handles rollout files, in sessions and in archived_sessions', () => {
    expect(format.isHandledFile('2026/11/24/rollout-2026-11-24T01-46-00-01a20b3b-3a29-7920-ae3d-c93285e8dd89.jsonl')).toBe(true);
    expect(format.isHandledFile('archived_sessions/rollout-2025-09-01T10-00-00-5973b6c0-94b8-487b-a530-2aeb6098ae0e.jsonl')).toBe(true);
    expect(format.isHandledFile('rollout-old.jsonl')).toBe(true);
    expect(format.isHandledFile('2025/04/20/rollout-2025-04-20-0f0f0f0f-0000-4000-8000-000000000001.json')).toBe(true);
  });

  it('does not read, and does not warn about, the files Codex keeps beside its rollouts', () => {
    for (const file of ['history.jsonl', 'sessions/history.jsonl', 'session_index.jsonl', 'log/codex-tui.log.jsonl']) {
      expect(format.isHandledFile(file)).toBe(false);
      expect(format.shouldWarnUnhandledFile(file)).toBe(false);
    }
    expect(format.isHandledFile('notes/something.jsonl')).toBe(false);
    expect(format.shouldWarnUnhandledFile('notes/something.jsonl')).toBe(true);
  });

  it('keeps a sub-agent row, with a warning, when the parent rollout cannot be read', async () => {
    const root = path.join(COMPOSED, 'subagents');
    const child = 'rollout-2026-11-21T08-00-00-0d0d0d0d-0000-4000-8000-00000000000b.jsonl';
    // The index names a parent file that is not there.
    const threads = new ThreadIndex(root, ['gone/rollout-2026-11-21T08-00-00-0d0d0d0d-0000-4000-8000-00000000000a.jsonl', child]);
    const warnings: string[] = [];
    const result = await format.parseFile({
      path: path.join(root, child),
      relativePath: child,
      root,
      size: 0,
      context: { threads },
      signal: new AbortController().signal,
      strict: false,
      warn: (message) => warnings.push(message),
    });
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]?.source_meta.subagent).toMatchObject({ parent_spawn_call_id: null });
    expect(warnings).toEqual([expect.stringMatching(/^the parent thread's rollout could not be read to find its spawn call \(ENOENT/)]);
  });
});
