import { chmod, cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type AgentRolloutParseError,
  FormatRegistry,
  isAgentRolloutParseError,
  type ReadProgress,
  readRollouts,
} from '@agent-rollout/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect } from './helpers/collect.js';
import { NotesFormat } from './helpers/notes-format.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const isRoot = process.getuid?.() === 0;

function notesRegistry(): FormatRegistry {
  const registry = new FormatRegistry();
  registry.register(new NotesFormat(), { packageName: 'core-tests' });
  return registry;
}

describe('readRollouts on a clean folder', () => {
  it('yields one row per session in path order, with derived columns and chronological times', async () => {
    const read = readRollouts({ format: 'notes', path: path.join(fixtures, 'notes') }, { registry: notesRegistry() });
    const rows = await collect(read);
    expect(rows.map((row) => row.trace_id)).toEqual(['a/one', 'a/two', 'b/bom', 'b/crlf']);
    const one = rows[0];
    expect(one?.message_count).toBe(4);
    expect(one?.tool_call_count).toBe(1);
    expect(one?.final_assistant_message).toBe('Two files: a.txt and b.txt.');
    // 10:00+02:00 is 08:00Z, earlier than 08:00:01Z; the six-digit fraction is read too.
    expect(one?.started_at).toBe('2026-01-02T08:00:00.000Z');
    expect(one?.ended_at).toBe('2026-01-02T08:00:03.000Z');
    expect(rows[3]?.messages[0]?.content).toEqual([{ type: 'text', text: 'café ✓' }]);
    expect(rows[2]?.messages[0]?.content).toEqual([{ type: 'text', text: 'bom' }]);

    const { report } = read;
    expect(report.completed).toBe(true);
    expect(report.files).toEqual({ matched: 6, handled: 4, unhandled: 2, notSelected: 0, parsed: 4, skipped: 0, failed: 0 });
    // b/readme.ignore.jsonl is unhandled without a warning; b/other.jsonl is warned about; notes.txt is not matched.
    expect(report.unhandledFiles).toEqual(['b/other.jsonl']);
    expect(report.rows).toBe(4);
    expect(report.root).toBe(path.join(fixtures, 'notes'));
  });

  it('reports progress in files, bytes and rows', async () => {
    const events: ReadProgress[] = [];
    await collect(
      readRollouts(
        { format: 'notes', path: path.join(fixtures, 'notes') },
        { registry: notesRegistry(), onProgress: (p) => events.push(p) },
      ),
    );
    const last = events.at(-1);
    expect(events[0]).toMatchObject({ filesDone: 0, filesTotal: 4, rows: 0 });
    expect(last).toMatchObject({ filesDone: 4, filesTotal: 4, rows: 4 });
    expect(last?.bytesDone).toBe(last?.bytesTotal);
    expect(last?.bytesTotal).toBeGreaterThan(0);
  });

  it('selects a partition, a seeded shuffle and a limit', async () => {
    const registry = notesRegistry();
    const root = path.join(fixtures, 'notes');
    const shards = await Promise.all(
      [0, 1, 2].map((index) =>
        collect(readRollouts({ format: 'notes', path: root }, { registry, selection: { partition: { index, count: 3 } } })),
      ),
    );
    const ids = shards.flatMap((rows) => rows.map((row) => row.trace_id));
    expect([...ids].sort()).toEqual(['a/one', 'a/two', 'b/bom', 'b/crlf']);
    const limited = readRollouts({ format: 'notes', path: root }, { registry, selection: { shuffle: true, seed: 3, limit: 2 } });
    const first = (await collect(limited)).map((row) => row.trace_id);
    const again = (
      await collect(readRollouts({ format: 'notes', path: root }, { registry, selection: { shuffle: true, seed: 3, limit: 2 } }))
    ).map((row) => row.trace_id);
    expect(first).toHaveLength(2);
    expect(again).toEqual(first);
    expect(limited.report.files.notSelected).toBe(2);
  });
});

describe('readRollouts on a hostile folder', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'agent-rollout-hostile-'));
    await cp(path.join(fixtures, 'hostile'), root, { recursive: true });
    await writeFile(path.join(root, 'locked.notes.jsonl'), '{"role":"user","text":"secret"}\n');
    await chmod(path.join(root, 'locked.notes.jsonl'), 0o000);
    await symlink('.', path.join(root, 'loop'));
    await mkdir(path.join(root, 'private'));
    await writeFile(path.join(root, 'private', 'hidden.notes.jsonl'), '{"role":"user","text":"hidden"}\n');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('accounts for every file and keeps the good data', async () => {
    const read = readRollouts({ format: 'notes', path: root }, { registry: notesRegistry() });
    const rows = await collect(read);
    const { report } = read;
    expect(rows.map((row) => row.trace_id)).toEqual(
      isRoot
        ? ['good', 'latin1', 'locked', 'nonobject', 'private/hidden', 'truncated']
        : ['good', 'latin1', 'nonobject', 'private/hidden', 'truncated'],
    );
    expect(rows.find((row) => row.trace_id === 'nonobject')?.message_count).toBe(2);
    expect(rows.find((row) => row.trace_id === 'truncated')?.message_count).toBe(2);
    expect(rows.find((row) => row.trace_id === 'latin1')?.messages[0]?.content).toEqual([{ type: 'text', text: 'na\uFFFDve caf\uFFFD' }]);

    const { files } = report;
    expect(files.matched).toBe(8);
    expect(files.matched).toBe(files.unhandled + files.handled);
    expect(files.handled).toBe(files.notSelected + files.parsed + files.skipped + files.failed);
    expect(report.skipped.map((skip) => skip.path)).toEqual(['binary.notes.jsonl', 'empty.notes.jsonl']);
    if (isRoot) {
      // root reads any file, so the locked file is parsed like the others.
      expect(files.failed).toBe(0);
    } else {
      expect(report.failures).toEqual([{ path: 'locked.notes.jsonl', reason: 'the file cannot be read (EACCES: permission denied)' }]);
    }

    const warningsOf = (file: string) => report.warnings.filter((w) => w.path === file).map((w) => [w.line, w.message]);
    expect(warningsOf('nonobject.notes.jsonl')).toEqual([
      [2, 'expected a JSON object, found an array; the line was skipped'],
      [3, 'expected a JSON object, found a number; the line was skipped'],
    ]);
    expect(warningsOf('truncated.notes.jsonl')).toEqual([
      [3, 'the last line is cut short (the session may still have been written); it was ignored'],
    ]);
    expect(warningsOf('latin1.notes.jsonl')).toEqual([[1, 'the line holds bytes that are not UTF-8; they were replaced by U+FFFD']]);
    // Garbage lines are warned about, at most 20 listed plus a count of the rest.
    expect(warningsOf('binary.notes.jsonl').length).toBeGreaterThan(0);
    expect(warningsOf('binary.notes.jsonl').length).toBeLessThanOrEqual(21);
  });

  it('stops at the first bad line in strict mode, naming the file and the line', async () => {
    const read = readRollouts({ format: 'notes', path: root }, { registry: notesRegistry(), errorPolicy: 'strict' });
    const error = await collect(read).catch((e: unknown) => e);
    expect(isAgentRolloutParseError(error)).toBe(true);
    const parseError = error as AgentRolloutParseError;
    expect(parseError.file).toBe(path.join(root, 'binary.notes.jsonl'));
    expect(parseError.line).toBeGreaterThanOrEqual(1);
    expect(parseError.message).toContain('binary.notes.jsonl:');
    expect(read.report.completed).toBe(false);
    expect(read.report.failures).toEqual([{ path: 'binary.notes.jsonl', line: parseError.line, reason: parseError.reason }]);
  });

  it('reports a directory it cannot list instead of ending the listing', async () => {
    const { buildManifest } = await import('@agent-rollout/core');
    const fs = await import('node:fs');
    const manifest = await buildManifest({
      root,
      filePattern: '*.jsonl',
      recursive: true,
      fs: {
        readdirSync: ((dir: string, options?: unknown) => {
          if (dir === root) return (fs.readdirSync as (dir: string, options?: unknown) => unknown)(dir, options);
          throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
        }) as typeof fs.readdirSync,
      },
    });
    expect(manifest.files.length).toBeGreaterThan(0);
    expect(manifest.files.map((file) => file.relativePath)).not.toContain('private/hidden.notes.jsonl');
    expect(manifest.unreadableDirectories).toEqual([{ path: 'private', reason: 'cannot list directory (EACCES)' }]);
  });
});
