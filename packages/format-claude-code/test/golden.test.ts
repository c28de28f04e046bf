import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NormalizedRollout } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { corpusProjects, FIXTURES, readFolder } from './helpers.js';

const GOLDEN = path.join(FIXTURES, 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const ROOT_PLACEHOLDER = '<projects>';

/** Sorts object keys at every depth below the row's own columns, so goldens do not depend on insertion order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}

/** A row as the golden file stores it: source_path relative to the projects folder, stable key order. */
function goldenRow(row: NormalizedRollout, root: string): unknown {
  const relative = path.relative(root, row.source_path).split(path.sep).join('/');
  return {
    ...row,
    source_path: `${ROOT_PLACEHOLDER}/${relative}`,
    messages: sortKeys(row.messages),
    source_meta: sortKeys(row.source_meta),
  };
}

function goldenName(relativePath: string): string {
  return `${relativePath
    .split('/')
    .slice(1)
    .join('__')
    .replace(/\.jsonl$/, '')}.json`;
}

describe.each(['2.1.330', '2.0.76', '1.0.56'])('golden rows of the Claude Code %s corpus', (version) => {
  it('matches the reviewed rows of every session file', async () => {
    const root = corpusProjects(version);
    const { rows, report } = await readFolder(root);
    expect(report.failures).toEqual([]);
    const byFile = new Map<string, unknown[]>();
    for (const row of rows) {
      const relative = path.relative(root, row.source_path).split(path.sep).join('/');
      byFile.set(relative, [...(byFile.get(relative) ?? []), goldenRow(row, root)]);
    }
    const skipped = new Map(report.skipped.map((entry) => [entry.path, entry.reason]));
    const files = [...new Set([...byFile.keys(), ...skipped.keys()])].sort();
    expect(files.length).toBe(report.files.handled);
    for (const file of files) {
      const expected = byFile.has(file) ? { rows: byFile.get(file) } : { skipped: skipped.get(file) };
      const goldenPath = path.join(GOLDEN, version, goldenName(file));
      const text = `${JSON.stringify(expected, null, 2)}\n`;
      if (UPDATE) {
        await mkdir(path.dirname(goldenPath), { recursive: true });
        await writeFile(goldenPath, text);
      }
      expect(JSON.parse(text), file).toEqual(JSON.parse(await readFile(goldenPath, 'utf8')));
    }
  });
});
