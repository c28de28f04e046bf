import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createJsonlSink,
  createWorkerExecutor,
  defaultRegistry,
  type FileExecutor,
  FormatRegistry,
  isAgentRolloutError,
  isAgentRolloutParseError,
  type ReadOptions,
  type RunReport,
  readRolloutBatches,
  readRollouts,
} from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { collect } from './helpers/collect.js';
import { tallyFixtureDir as fixtureDir, tallySessions as sessions, useTallyWorkers } from './helpers/tally-workers.js';

const source = { format: 'tally', path: sessions };
const build = useTallyWorkers();

function workers(count: number, extra: Partial<Parameters<typeof createWorkerExecutor>[0]> = {}): FileExecutor {
  return createWorkerExecutor({ workers: count, workerScript: build().workerScript, ...extra });
}

async function jsonlOf(options: ReadOptions): Promise<{ text: string; report: RunReport }> {
  const read = readRolloutBatches(source, options);
  const parts: Buffer[] = [];
  for await (const batch of read) parts.push(Buffer.from(batch.jsonl));
  return { text: Buffer.concat(parts).toString('utf8'), report: read.report };
}

async function collectJsonl(read: AsyncIterable<{ jsonl: Uint8Array }>): Promise<Uint8Array[]> {
  const all: Uint8Array[] = [];
  for await (const batch of read) all.push(batch.jsonl);
  return all;
}

function withoutDuration(report: RunReport): Omit<RunReport, 'durationMs'> {
  const { durationMs: _ignored, ...rest } = report;
  return rest;
}

describe('createWorkerExecutor', () => {
  it('writes the same JSONL bytes and the same report as parsing in this thread', async () => {
    const inThread = await jsonlOf({});
    const pooled = await jsonlOf({ executor: workers(2) });
    expect(pooled.text).toBe(inThread.text);
    expect(withoutDuration(pooled.report)).toEqual(withoutDuration(inThread.report));
    // One slot per file forces every outcome through the reorder buffer one at a time.
    const narrow = await jsonlOf({ executor: workers(3, { maxFilesInFlight: 1 }) });
    expect(narrow.text).toBe(inThread.text);
    // A byte budget this small makes files of 32 bytes or more big: they enter ahead of their turn.
    const bigFirst = await jsonlOf({ executor: workers(2, { maxBytesInFlight: 512 }) });
    expect(bigFirst.text).toBe(inThread.text);
    expect(withoutDuration(bigFirst.report)).toEqual(withoutDuration(inThread.report));
  });

  it("hands each small file's rows over in a buffer of their own size", async () => {
    const inThread = await collectJsonl(readRolloutBatches(source, {}));
    const pooled = await collectJsonl(readRolloutBatches(source, { executor: workers(2) }));
    expect(pooled.map((bytes) => Buffer.from(bytes).toString('utf8'))).toEqual(
      inThread.map((bytes) => Buffer.from(bytes).toString('utf8')),
    );
    expect(pooled.length).toBeGreaterThan(3);
    // In this thread the rows stay in the encoder's buffer of at least 1 MiB: the copy is only for a transfer.
    for (const bytes of inThread) expect(bytes.buffer.byteLength).toBeGreaterThanOrEqual(1 << 20);
    for (const bytes of pooled) expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
  });

  it('lets each worker build a context that is not plain data', async () => {
    const counting = { format: 'tally-counting', path: sessions };
    const read = (options: ReadOptions) => readRolloutBatches(counting, options);
    const inThread = read({});
    const pooled = read({ executor: workers(2) });
    const [a, b] = [await collectText(inThread), await collectText(pooled)];
    expect(b).toBe(a);
    expect(pooled.report.files.failed).toBe(1);
    expect(a).toContain('"files_in_root":8');
  });

  it('keeps path order although the first file finishes last', async () => {
    const { text } = await jsonlOf({ executor: workers(2) });
    const rows = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { trace_id: string; source_meta: unknown });
    expect(rows.map((row) => row.trace_id)).toEqual(['a1', 'a2', 'a3', 'a4', 'b6', 'b7']);
    // The parse context was built in the workers too.
    expect(rows[0]?.source_meta).toEqual({ files_in_root: 8 });
  });

  it('yields row objects equal to the in-thread ones through readRollouts', async () => {
    const inThread = await collect(readRollouts(source));
    const pooled = await collect(readRollouts(source, { executor: workers(2) }));
    expect(pooled).toEqual(inThread);
    expect(pooled.map((row) => row.message_count)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('carries failures, skips and warnings from the workers', async () => {
    const { report } = await jsonlOf({ executor: workers(2) });
    expect(report.files).toMatchObject({ handled: 7, parsed: 5, skipped: 1, failed: 1 });
    expect(report.failures).toEqual([{ path: 'a/04-fail.tally.jsonl', line: 2, reason: 'expected a session line, found a broken record' }]);
    expect(report.skipped).toEqual([{ path: 'b/05-empty.tally.jsonl', reason: 'no tally sessions in the file' }]);
    const fileWarnings = report.warnings.filter((warning) => warning.path !== 'b/notes.txt.jsonl');
    expect(fileWarnings.map((warning) => [warning.path, warning.line])).toEqual([
      ['a/03-warn.tally.jsonl', 2],
      ['a/03-warn.tally.jsonl', 3],
      ['b/07-last.tally.jsonl', 3],
    ]);
    expect(fileWarnings[0]?.message).toBe('an odd record');
  });

  it('throws the same parse error, with file and line, under the strict policy', async () => {
    const read = readRolloutBatches(source, { executor: workers(2), errorPolicy: 'strict' });
    const error = await collectBatches(read).catch((caught: unknown) => caught);
    // Strict: the line that is not JSON in 03-warn stops the read before 04-fail is reached.
    expect(isAgentRolloutParseError(error)).toBe(true);
    expect(error).toMatchObject({ file: path.join(sessions, 'a/03-warn.tally.jsonl'), line: 3 });
    expect(read.report.completed).toBe(false);
    expect(read.report.files.parsed).toBe(2);

    const inThread = await collectBatches(readRolloutBatches(source, { errorPolicy: 'strict' })).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe((inThread as Error).message);
  });

  it('stops with an aborted error when the signal fires mid-read', async () => {
    const controller = new AbortController();
    const read = readRolloutBatches(source, {
      executor: workers(2),
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.filesDone === 1) controller.abort();
      },
    });
    const error = await collectBatches(read).catch((caught: unknown) => caught);
    expect(isAgentRolloutError(error) && error.code).toBe('aborted');
    expect(read.report.completed).toBe(false);
    expect(read.report.files.parsed).toBe(1);
  });

  it('redacts in the workers exactly as in this thread, with a redactor per file', async () => {
    const redaction = { homeDir: '/home/alice', userNames: [] };
    const inThread = await jsonlOf({ redaction });
    const pooled = await jsonlOf({ executor: workers(2), redaction });
    expect(pooled.text).toBe(inThread.text);
    expect(pooled.report.redactions).toEqual(inThread.report.redactions);
    expect(inThread.text).not.toContain('ghp_Zq4R8mT2vX9kL3pN7wB1cY6dF0hJ5sA8eG2u');
    expect(inThread.text).not.toContain('/home/alice');
    expect(Object.values(inThread.report.redactions).reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(2);
    // Without redaction the token is there: the fixture really holds it.
    expect((await jsonlOf({})).text).toContain('ghp_Zq4R8mT2vX9kL3pN7wB1cY6dF0hJ5sA8eG2u');
  });

  it('lets the JSONL sink write encoded batches as the same bytes as rows', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'worker-sink-'));
    try {
      const fromRows = createJsonlSink({ path: path.join(dir, 'rows.jsonl') });
      await fromRows.open();
      for await (const row of readRollouts(source)) await fromRows.write(row);
      const rowsSummary = await fromRows.close();

      const fromBatches = createJsonlSink({ path: path.join(dir, 'batches.jsonl') });
      await fromBatches.open();
      for await (const batch of readRolloutBatches(source, { executor: workers(2) })) await fromBatches.writeEncoded?.(batch);
      const batchSummary = await fromBatches.close();

      expect(await readFile(path.join(dir, 'batches.jsonl'), 'utf8')).toBe(await readFile(path.join(dir, 'rows.jsonl'), 'utf8'));
      expect(batchSummary.rowsWritten).toBe(rowsSummary.rowsWritten);
      expect(batchSummary.rowsWritten).toBe(6);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a format that workers cannot load', async () => {
    const handler = defaultRegistry().get('tally');
    if (!handler) throw new Error('the fixture format did not register');
    const noUrl = new FormatRegistry();
    noUrl.register(handler, { packageName: 'no-url' });
    const missing = readRolloutBatches(source, { registry: noUrl, executor: workers(2, { registry: noUrl }) });
    await expect(collectBatches(missing)).rejects.toThrow(/registered without a moduleUrl/);

    const wrongModule = new FormatRegistry();
    wrongModule.register(handler, {
      packageName: 'wrong',
      moduleUrl: await build().placeModule(path.join(fixtureDir, 'registers-nothing.mjs')),
    });
    const broken = readRolloutBatches(source, { registry: wrongModule, executor: workers(2, { registry: wrongModule }) });
    await expect(collectBatches(broken)).rejects.toThrow(/could not load the format.*did not register format "tally"/);
  });

  it('fails only the file a worker died on, also when it was parsed in a batch of small files', async () => {
    // Two files start alone, the four behind them together; the fifth ends its worker thread.
    const read = readRolloutBatches({ format: 'tally', path: path.join(fixtureDir, 'crash-sessions') }, { executor: workers(2) });
    const rows = (await collectText(read))
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { trace_id: string }).trace_id);
    expect(rows).toEqual(['c1', 'c2', 'c3', 'c4', 'c6']);
    expect(read.report.files).toMatchObject({ parsed: 5, failed: 1 });
    expect(read.report.failures).toEqual([
      { path: '05-crash.tally.jsonl', reason: expect.stringMatching(/^the worker parsing this file stopped: /) },
    ]);
  });

  it('parses the reads it is given one after another on the same threads, each with its own format', async () => {
    const executor = workers(2);
    const threadsOf = async (format: string): Promise<Set<string>> => {
      const text = await collectText(readRolloutBatches({ format, path: sessions }, { executor }));
      const rows = text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as { source_meta: { files_in_root: unknown } });
      return new Set(rows.map((row) => String(row.source_meta.files_in_root)));
    };
    const first = await threadsOf('tally-threads');
    expect(first.size).toBeGreaterThan(0);
    expect([...first].every((name) => /^thread [1-9]\d*$/.test(name))).toBe(true);
    // Another format in between: each read sets its own format up in the workers.
    expect((await jsonlOf({ executor })).text).toBe((await jsonlOf({})).text);
    const second = await threadsOf('tally-threads');
    expect([...second].every((name) => first.has(name))).toBe(true);
  });

  it('parses the reads it is given one after another, each with its own format and setup', async () => {
    const executor = workers(2);
    const redaction = { homeDir: '/home/alice', userNames: [] };
    for (const options of [{}, { redaction }, {}]) {
      const pooled = await jsonlOf({ executor, ...options });
      const inThread = await jsonlOf(options);
      expect(pooled.text).toBe(inThread.text);
      expect(withoutDuration(pooled.report)).toEqual(withoutDuration(inThread.report));
    }
    const counting = { format: 'tally-counting', path: sessions };
    expect(await collectText(readRolloutBatches(counting, { executor }))).toBe(await collectText(readRolloutBatches(counting, {})));
  });

  it('parses a read in full on the same executor after an earlier read was stopped early', async () => {
    const executor = workers(2);
    for await (const _batch of readRolloutBatches(source, { executor })) break;
    const inThread = await jsonlOf({});
    const pooled = await jsonlOf({ executor });
    expect(pooled.text).toBe(inThread.text);
    expect(withoutDuration(pooled.report)).toEqual(withoutDuration(inThread.report));
  });

  it('starts workers from a CommonJS entry, so piscina never require()s an ES module', async () => {
    // A worker terminated inside a require() of an ES module aborts the whole process
    // (Node 20.19+), and the pool terminates workers that are still starting when a read ends.
    // With require(esm) switched off, requiring an ES module entry would throw ERR_REQUIRE_ESM.
    const entry = fileURLToPath(build().workerScript);
    const load = `process.stdout.write(typeof require(${JSON.stringify(entry)}))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--no-experimental-require-module', '-e', load]);
    expect(stdout).toBe('function');
  });
});

async function collectText(read: AsyncIterable<{ jsonl: Uint8Array }>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const batch of read) parts.push(Buffer.from(batch.jsonl));
  return Buffer.concat(parts).toString('utf8');
}

async function collectBatches(read: AsyncIterable<unknown>): Promise<number> {
  let count = 0;
  for await (const _batch of read) count += 1;
  return count;
}
