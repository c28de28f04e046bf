import path from 'node:path';
import { FormatRegistry, finalizeRollout, type NormalizedRollout, type RunReport, readRollouts } from '@agent-rollout/core';
import { ClaudeCodeFormat, type ClaudeCodeFormatOptions } from '../src/handler.js';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');
export const CORPUS = path.join(FIXTURES, 'corpus', 'claude-code');
export const COMPOSED = path.join(FIXTURES, 'composed');

/** The projects folder of one CLI generation in the copied corpus. */
export function corpusProjects(version: string): string {
  return path.join(CORPUS, version, 'home', '.claude', 'projects');
}

/** Reads a folder through core's reader with a private registry, like a user would. */
export async function readFolder(
  root: string,
  options: ClaudeCodeFormatOptions = {},
): Promise<{ rows: NormalizedRollout[]; report: RunReport }> {
  const registry = new FormatRegistry();
  registry.register(new ClaudeCodeFormat(options), { packageName: 'test' });
  const read = readRollouts({ format: 'claude_code', path: root }, { registry });
  const rows: NormalizedRollout[] = [];
  for await (const row of read) rows.push(row);
  return { rows, report: read.report };
}

/** Parses one file without a parse context (as a caller that uses the handler directly would). */
export async function parseOne(
  file: string,
  options: ClaudeCodeFormatOptions = {},
): Promise<{ rows: NormalizedRollout[]; skipReason?: string; warnings: { message: string; line?: number }[] }> {
  const warnings: { message: string; line?: number }[] = [];
  const result = await new ClaudeCodeFormat(options).parseFile({
    path: file,
    relativePath: path.basename(file),
    root: path.dirname(file),
    size: 0,
    context: undefined,
    signal: new AbortController().signal,
    strict: false,
    warn: (message, line) => warnings.push(line === undefined ? { message } : { message, line }),
  });
  return { rows: result.rows.map(finalizeRollout), ...(result.skipReason ? { skipReason: result.skipReason } : {}), warnings };
}

/** The text of a message's text blocks. */
export function textOf(message: { content: { type: string; text?: unknown }[] }): string {
  return message.content.map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : '')).join('');
}
