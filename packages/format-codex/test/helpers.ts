import path from 'node:path';
import { FormatRegistry, type NormalizedRollout, type RunReport, readRollouts } from '@agent-rollout/core';
import { CodexFormat } from '../src/index.js';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');
export const CORPUS = path.join(FIXTURES, 'corpus');
export const COMPOSED = path.join(FIXTURES, 'composed');
export const GOLDEN = path.join(FIXTURES, 'golden');
export const CLI_VERSIONS = ['0.29.0', '0.34.0', '0.77.0', '0.169.0'] as const;

/** Composed fixtures, one per generation (see test/fixtures/composed/README.md). */
export const LEGACY_FILE = 'rollout-2025-06-01T12-00-00-0a0a0a0a-0000-4000-8000-000000000001.jsonl';
export const ENVELOPE_FILE = 'rollout-2025-10-02T09-00-00-0b0b0b0b-0000-4000-8000-000000000002.jsonl';
export const CURRENT_FILE = 'rollout-2026-11-20T10-00-00-0c0c0c0c-0000-4000-8000-000000000003.jsonl';

/** Reads every rollout under a folder through core's reader, with a registry of its own. */
export async function readFolder(root: string): Promise<{ rows: NormalizedRollout[]; report: RunReport }> {
  const registry = new FormatRegistry();
  registry.register(new CodexFormat(), { packageName: 'test' });
  const read = readRollouts({ format: 'codex', path: root }, { registry });
  const rows: NormalizedRollout[] = [];
  for await (const row of read) rows.push(row);
  return { rows, report: read.report };
}

/** Reads one composed fixture file (test/fixtures/composed/<name>) and returns its only row. */
export async function readComposed(name: string): Promise<{ row: NormalizedRollout; report: RunReport }> {
  const registry = new FormatRegistry();
  registry.register(new CodexFormat(), { packageName: 'test' });
  const read = readRollouts({ format: 'codex', path: COMPOSED, filePattern: name, recursive: false }, { registry });
  const rows: NormalizedRollout[] = [];
  for await (const row of read) rows.push(row);
  if (rows.length !== 1) throw new Error(`expected one row from ${name}, got ${rows.length}: ${JSON.stringify(read.report)}`);
  return { row: rows[0] as NormalizedRollout, report: read.report };
}

/** A row with `source_path` relative to the given root, so golden files do not depend on this machine. */
export function withRelativeSourcePath(row: NormalizedRollout, root: string): NormalizedRollout {
  return { ...row, source_path: path.relative(root, row.source_path).split(path.sep).join('/') };
}

/** The rows of one corpus version, by file name (without folders). */
export async function readCorpusVersion(version: string): Promise<Map<string, NormalizedRollout>> {
  const { rows } = await readFolder(path.join(CORPUS, version));
  return new Map(rows.map((row) => [path.basename(row.source_path), row]));
}

/** One row of a corpus version, by the thread id its file name ends with. */
export async function corpusRow(version: string, threadId: string): Promise<NormalizedRollout> {
  for (const [name, row] of await readCorpusVersion(version)) if (name.endsWith(`${threadId}.jsonl`)) return row;
  throw new Error(`no corpus row for ${threadId} in ${version}`);
}

/** The text of a message's text blocks. */
export function textOf(message: { content: { type: string; text?: unknown }[] }): string {
  return message.content
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text))
    .join('\n\n');
}
