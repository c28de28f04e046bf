import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, readFixtures } from './read-fixtures.js';

// The docs quote this package; these tests fail when a quote and the code drift apart.
const repoRoot = path.join(import.meta.dirname, '..', '..', '..');
const read = (relative: string): string => readFileSync(path.join(repoRoot, relative), 'utf8');

interface QuotedBlock {
  kind: 'file' | 'excerpt' | 'json-subset';
  source: string;
  code: string;
}

/** The code blocks that follow a `<!-- docs-check: <kind> <path> -->` marker. */
function quotedBlocks(markdown: string): QuotedBlock[] {
  const marker = /<!-- docs-check: (file|excerpt|json-subset) (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g;
  return [...markdown.matchAll(marker)].map((match) => ({
    kind: match[1] as QuotedBlock['kind'],
    source: match[2] as string,
    code: match[3] as string,
  }));
}

/** package.json as npm sees it after publish: pnpm turns `workspace:^` into `^<version>`. */
function publishedPackageJson(relative: string): Record<string, unknown> {
  const coreVersion = (JSON.parse(read('packages/core/package.json')) as { version: string }).version;
  return JSON.parse(read(relative).replaceAll('"workspace:^"', `"^${coreVersion}"`)) as Record<string, unknown>;
}

describe('the plugin guide quotes the real package', () => {
  const blocks = quotedBlocks(read('docs/writing-a-format-package.md'));

  it('has every quote it is written around', () => {
    expect(blocks.map((block) => `${block.kind} ${block.source}`)).toEqual([
      'json-subset packages/format-atif/package.json',
      'excerpt packages/format-atif/src/atif-format.ts',
      'excerpt packages/format-atif/src/atif-format.ts',
      'file packages/format-atif/src/index.ts',
      'file packages/format-atif/test/conformance.test.ts',
      'excerpt packages/format-atif/test/end-to-end.test.ts',
    ]);
  });

  it.each(blocks.map((block, index) => [index + 1, block] as const))('quote %i matches its source', (_index, block) => {
    if (block.kind === 'file') expect(block.code).toBe(read(block.source).trimEnd());
    if (block.kind === 'excerpt') expect(read(block.source)).toContain(block.code);
    if (block.kind === 'json-subset') {
      const real = publishedPackageJson(block.source);
      for (const [key, value] of Object.entries(JSON.parse(block.code) as Record<string, unknown>)) {
        expect({ [key]: real[key] }).toEqual({ [key]: value });
      }
    }
  });
});

it('the full row in concepts.md is what the package makes of its fixture today', async () => {
  const markdown = read('docs/concepts.md');
  const shown = /## A full row[\s\S]*?```json\n([\s\S]*?)\n```/.exec(markdown)?.[1];
  expect(shown).toBeDefined();
  const { byTrace } = await readFixtures('trajectories');
  // The docs show the fixture folder as /data/jobs, not as this checkout's path.
  const actual = JSON.stringify(byTrace.get('run-7f2'), null, 2).split(path.join(fixturesDir, 'trajectories')).join('/data/jobs');
  expect(shown).toBe(actual);
});

describe('the pages this package documents link to files that exist', () => {
  const pages = [
    'docs/README.md',
    'docs/getting-started.md',
    'docs/concepts.md',
    'docs/writing-a-format-package.md',
    'docs/formats/atif.md',
    'docs/formats/claude-code.md',
    'docs/formats/codex.md',
    'packages/format-atif/README.md',
  ];
  it.each(pages)('%s', (page) => {
    const markdown = read(page).replace(/```[\s\S]*?```/g, '');
    const targets = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1] as string)
      .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'))
      .map((target) => path.join(path.dirname(page), target.split('#')[0] as string));
    const missing = targets.filter((target) => {
      try {
        readFileSync(path.join(repoRoot, target));
        return false;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code !== 'EISDIR';
      }
    });
    expect(missing).toEqual([]);
  });
});
