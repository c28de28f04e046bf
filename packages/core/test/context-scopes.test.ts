import path from 'node:path';
import {
  createParseContexts,
  createWorkerExecutor,
  defaultRegistry,
  FormatHandler,
  type ManifestFile,
  type ParseFileResult,
  type ReadOptions,
  type RunWarning,
  readRolloutBatches,
  selectFiles,
} from '@agent-rollout/core';
import { checkFormatConformance } from '@agent-rollout/core/testing';
import { describe, expect, it } from 'vitest';
import { tallySessions as sessions, useTallyWorkers } from './helpers/tally-workers.js';

const build = useTallyWorkers();

/** The scoped fixture format registered in this thread, with the scopes it built contexts for. */
function scopedHandler(format: string): FormatHandler & { builtScopes: string[] } {
  const handler = defaultRegistry().get(format) as (FormatHandler & { builtScopes: string[] }) | undefined;
  if (!handler) throw new Error(`${format} is not registered`);
  return handler;
}

async function read(
  format: string,
  options: ReadOptions,
): Promise<{ rows: { trace_id: string; source_meta: unknown }[]; built: string[]; warnings: RunWarning[] }> {
  const handler = scopedHandler(format);
  handler.builtScopes.length = 0;
  const parts: Buffer[] = [];
  const batches = readRolloutBatches({ format, path: sessions }, options);
  for await (const batch of batches) parts.push(Buffer.from(batch.jsonl));
  const text = Buffer.concat(parts).toString('utf8');
  const rows = text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
  return { rows, built: [...handler.builtScopes], warnings: batches.report.warnings };
}

describe('parse contexts built per scope', () => {
  it('parses each file with the context of its own scope, in this thread and in workers', async () => {
    const inThread = await read('tally-scoped', {});
    expect(inThread.built).toEqual(['a', 'b']);
    expect(inThread.rows.map((row) => [row.trace_id, row.source_meta])).toEqual([
      ['a1', { files_in_root: '4 from a/01-slow.tally.jsonl' }],
      ['a2', { files_in_root: '4 from a/01-slow.tally.jsonl' }],
      ['a3', { files_in_root: '4 from a/01-slow.tally.jsonl' }],
      ['a4', { files_in_root: '4 from a/01-slow.tally.jsonl' }],
      ['b6', { files_in_root: '4 from b/05-empty.tally.jsonl' }],
      ['b7', { files_in_root: '4 from b/05-empty.tally.jsonl' }],
    ]);
    const executor = createWorkerExecutor({ workers: 2, workerScript: build().workerScript });
    const pooled = await read('tally-scoped', { executor });
    // The workers got the main thread's contexts: none was built twice.
    expect(pooled.built).toEqual(['a', 'b']);
    expect(pooled.rows).toEqual(inThread.rows);
    // Each build's warning sits before the warnings of its scope's files, wherever it was built.
    expect(pooled.warnings).toEqual(inThread.warnings);
    const contextWarnings = inThread.warnings.filter((warning) => warning.message.startsWith('context built'));
    expect(contextWarnings).toEqual([
      { path: 'a/01-slow.tally.jsonl', message: 'context built from 4 files' },
      { path: 'b/05-empty.tally.jsonl', message: 'context built from 4 files' },
    ]);
    const order = inThread.warnings.map((warning) => warning.path);
    expect(order.indexOf('b/05-empty.tally.jsonl')).toBeGreaterThan(order.indexOf('a/03-warn.tally.jsonl'));
  });

  it('lets the workers build scope contexts that are not plain data', async () => {
    const inThread = await read('tally-scoped-counting', {});
    const executor = createWorkerExecutor({ workers: 2, workerScript: build().workerScript });
    const pooled = await read('tally-scoped-counting', { executor });
    expect(pooled.rows).toEqual(inThread.rows);
    expect(pooled.rows.map((row) => row.source_meta)).toEqual([
      { files_in_root: 4 },
      { files_in_root: 4 },
      { files_in_root: 4 },
      { files_in_root: 4 },
      { files_in_root: 4 },
      { files_in_root: 4 },
    ]);
  });

  it('builds a scope when its first selected file is asked for and drops it after its last', async () => {
    const built: string[] = [];
    class Scoped extends FormatHandler<{ scope: string; files: number }> {
      readonly id = 'scoped_unit';
      readonly displayName = 'Scoped';
      readonly defaults = { filePattern: '*.jsonl' };
      override contextScope(relativePath: string): string {
        return relativePath.split('/')[0] ?? '';
      }
      override async buildParseContext(root: { files: readonly string[] }) {
        const scope = this.contextScope(root.files[0] ?? '');
        built.push(scope);
        return { scope, files: root.files.length };
      }
      isHandledFile(): boolean {
        return true;
      }
      async parseFile(): Promise<ParseFileResult> {
        return { rows: [] };
      }
    }
    const file = (relativePath: string): ManifestFile => ({ path: `/r/${relativePath}`, relativePath, size: 1 });
    const rootFiles = ['x/1.jsonl', 'x/2.jsonl', 'x/not-selected.jsonl', 'y/1.jsonl'];
    const selected = selectFiles([file('x/1.jsonl'), file('x/2.jsonl'), file('y/1.jsonl')]);
    const contexts = createParseContexts(
      new Scoped(),
      { root: '/r', files: rootFiles, signal: new AbortController().signal, warn: () => {} },
      selected,
    );
    expect(contexts.scoped).toBe(true);
    expect(built).toEqual([]);
    // A scope's context is built from all of its files, selected or not.
    expect(await contexts.contextFor(file('x/1.jsonl'))).toEqual({ scope: 'x', context: { scope: 'x', files: 3 } });
    expect(await contexts.contextFor(file('x/2.jsonl'))).toEqual({ scope: 'x', context: { scope: 'x', files: 3 } });
    expect(built).toEqual(['x']);
    expect(contexts.finished(file('x/1.jsonl'))).toBe(false);
    expect(contexts.finished(file('x/2.jsonl'))).toBe(true);
    expect(await contexts.contextFor(file('y/1.jsonl'))).toEqual({ scope: 'y', context: { scope: 'y', files: 1 } });
    expect(built).toEqual(['x', 'y']);
    await expect(contexts.contextFor(file('z/unknown.jsonl'))).rejects.toThrow(/z\/unknown.jsonl is not a selected file/);
  });

  it('is checked by the conformance kit: a scope that changes what a file parses to is a problem', async () => {
    const result = await checkFormatConformance({
      handler: scopedHandler('tally-scoped'),
      packageJsonPath: path.join(import.meta.dirname, '..', 'package.json'),
      fixturesRoot: sessions,
      expectRegistered: false,
    });
    const scopes = result.checks.find((check) => check.name === 'context scopes');
    // The fixture's rows name how many files their context saw: 8 for the whole root, 4 per scope.
    expect(scopes?.problems).toContain(
      'a/02-two.tally.jsonl parses differently with the context of its scope "a" than with the whole root\'s',
    );
    expect(scopes?.problems).toHaveLength(5);
  });
});
