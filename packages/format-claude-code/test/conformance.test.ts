import path from 'node:path';
import { defaultRegistry } from '@agent-rollout/core';
import { assertFormatConformance, runtimePackageImports } from '@agent-rollout/core/testing';
import { describe, expect, it } from 'vitest';
import { ClaudeCodeFormat } from '../src/index.js';
import { COMPOSED, corpusProjects } from './helpers.js';

const PACKAGE_JSON = path.join(import.meta.dirname, '..', 'package.json');

describe('the plugin contract', () => {
  it('registers claude_code in the default registry on import, naming the package', () => {
    const registration = defaultRegistry().getRegistration('claude_code');
    expect(registration?.packageName).toBe('@agent-rollout/format-claude-code');
    expect(registration?.packageVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(registration?.handler).toBeInstanceOf(ClaudeCodeFormat);
    expect(registration?.handler.defaults).toEqual({ path: '~/.claude/projects', filePattern: '*.jsonl' });
    expect(registration?.handler.displayName).toBe('Claude Code');
  });

  it.each([
    ['composed home', path.join(COMPOSED, 'claude-home'), 5],
    ['composed rule fixtures', COMPOSED, 13],
    ['2.1.330 corpus', corpusProjects('2.1.330'), 6],
    ['2.0.76 corpus', corpusProjects('2.0.76'), 6],
    ['1.0.56 corpus', corpusProjects('1.0.56'), 8],
  ])('conforms on the %s', async (_name, fixturesRoot, minRows) => {
    const result = await assertFormatConformance({ handler: new ClaudeCodeFormat(), packageJsonPath: PACKAGE_JSON, fixturesRoot, minRows });
    expect(result.rows).toBe(minRows);
  });

  it('loads core through its format entry, so a parse worker does not load zod with it', () => {
    const loaded = runtimePackageImports(path.join(import.meta.dirname, '..', 'src', 'index.ts'));
    expect(loaded).toContain('@agent-rollout/core/format');
    expect([...loaded].filter((name) => name === '@agent-rollout/core' || name === 'zod')).toEqual([]);
  });
});
