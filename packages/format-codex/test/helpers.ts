import path from 'node:path';
import { FormatRegistry, type NormalizedRollout, type RunReport, readRollouts } from '@agent-rollout/core';
import { CodexFormat } from '../src/index.js';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');
export const CORPUS = path.join(FIXTURES, 'corpus');
export const COMPOSED = path.join(FIXTURES, 'composed');
export const GOLDEN = path.join(FIXTURES, 'golden');
export const CLI_VERSIONS = ['0.29.0', '0.34.0', '0.77.0', '0.169.0'] as const;

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

/** The text of a message's text blocks. */
export function textOf(message: { content: { type: string; text?: unknown }[] }): string {
  return message.content
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text))
    .join('\n\n');
}
