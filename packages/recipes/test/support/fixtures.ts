import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AgentRolloutSource, FormatRegistry, type NormalizedRollout, readRollouts } from '@agent-rollout/core';
import { ClaudeCodeFormat } from '@agent-rollout/format-claude-code';
import { CodexFormat } from '@agent-rollout/format-codex';
import { onTestFinished } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Real Claude Code 1.0.56 sessions copied from the shared corpus. */
export const CLAUDE_FIXTURES = path.join(here, '..', 'fixtures', 'claude-code', 'projects');

/** Real Codex 0.77.0 sessions copied from the shared corpus. */
export const CODEX_FIXTURES = path.join(here, '..', 'fixtures', 'codex', 'sessions');

export function fixtureRegistry(): FormatRegistry {
  const registry = new FormatRegistry();
  registry.register(new ClaudeCodeFormat());
  registry.register(new CodexFormat());
  return registry;
}

export const codexSource: AgentRolloutSource = { format: 'codex', path: CODEX_FIXTURES };

export const fixtureSource: AgentRolloutSource = { format: 'claude_code', path: CLAUDE_FIXTURES };

export async function fixtureRows(source: AgentRolloutSource = fixtureSource): Promise<NormalizedRollout[]> {
  const rows: NormalizedRollout[] = [];
  for await (const row of readRollouts(source, { registry: fixtureRegistry() })) rows.push(row);
  return rows;
}

/** A fresh directory for one test, removed when the test ends (call it inside a test). */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recipes-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
