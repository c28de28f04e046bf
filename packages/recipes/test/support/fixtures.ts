import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AgentRolloutSource, FormatRegistry, type NormalizedRollout, readRollouts } from '@agent-rollout/core';
import { ClaudeCodeFormat } from '@agent-rollout/format-claude-code';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Real Claude Code 1.0.56 sessions copied from the shared corpus. */
export const CLAUDE_FIXTURES = path.join(here, '..', 'fixtures', 'claude-code', 'projects');

export function fixtureRegistry(): FormatRegistry {
  const registry = new FormatRegistry();
  registry.register(new ClaudeCodeFormat());
  return registry;
}

export const fixtureSource: AgentRolloutSource = { format: 'claude_code', path: CLAUDE_FIXTURES };

export async function fixtureRows(): Promise<NormalizedRollout[]> {
  const rows: NormalizedRollout[] = [];
  for await (const row of readRollouts(fixtureSource, { registry: fixtureRegistry() })) rows.push(row);
  return rows;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'recipes-test-'));
}
