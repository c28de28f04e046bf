// `pnpm bench`: ingestion speed and memory against the JSON.parse floor of this machine,
// measured in one run on one corpus with a warm page cache. Runs the built CLI (`pnpm build`
// first). See docs/performance.md for the method and the latest figures.
//
//   node bench/run.mjs [--size 1GB] [--seed 1] [--workers <n>] [--repeat 1]
//                      [--memory [--memory-size 4GB]] [--no-redaction]
//
// (a) also runs on one thread per worker: what the cores give the floor itself, which c/b
// can hardly exceed on the same machine. With --repeat N the runs go in N rounds, each run
// once in each round: the table shows the fastest of each, ratios are the median of the
// ratios within each round (a slow spell of a shared machine then falls on both sides of a
// ratio), and peak memory is the highest of any round.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCorpus, formatSize, MB, parseSize } from './corpus/generate.mjs';
import { snapshotBuild } from './snapshot.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
let cliBin = path.join(repoRoot, 'packages/cli/dist/bin.js');
// The copy of the build the run uses (see snapshot.mjs).
let buildRoot = repoRoot;
const probe = path.join(import.meta.dirname, 'rss-probe.mjs');

// `pnpm bench -- --size 50MB` passes the `--` on; it only separates pnpm's own flags.
const argv = process.argv.slice(2);
if (argv[0] === '--') argv.shift();
const { values: args } = parseArgs({
  args: argv,
  options: {
    size: { type: 'string', default: '1GB' },
    seed: { type: 'string', default: '1' },
    workers: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    memory: { type: 'boolean', default: false },
    'memory-size': { type: 'string', default: '4GB' },
    'no-redaction': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  // The comment at the top of this file, not the comments further down.
  const lines = readFileSync(import.meta.filename, 'utf8').split('\n');
  const headerEnd = lines.findIndex((line) => !line.startsWith('//'));
  const header = lines.slice(0, headerEnd);
  process.stdout.write(`${header.map((line) => line.replace(/^\/\/ ?/, '')).join('\n')}\n`);
  process.exit(0);
}

const sizeBytes = parseSize(args.size);
const seed = Number(args.seed);
const workers = Number(args.workers ?? os.availableParallelism());
const repeat = Math.max(1, Number(args.repeat));
const log = (text) => process.stderr.write(`${text}\n`);

if (!existsSync(cliBin) || !existsSync(path.join(repoRoot, 'packages/core/dist/reader/parse-worker.js'))) {
  log('bench: the built CLI or core is missing; run `pnpm build` first');
  process.exit(2);
}

/** Runs a node child with the RSS probe; resolves with its wall time, peak RSS and stdout. */
function runMeasured(label, nodeArgs, env = {}) {
  const rssFile = path.join(os.tmpdir(), `agent-rollout-bench-rss-${process.pid}-${label}`);
  rmSync(rssFile, { force: true });
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', probe, ...nodeArgs], {
      env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code !== 0) {
        reject(new Error(`${label} exited with ${code}:\n${stderr.slice(-2000)}`));
        return;
      }
      const usage = existsSync(rssFile) ? JSON.parse(readFileSync(rssFile, 'utf8')) : { peakRss: Number.NaN, cpuSeconds: Number.NaN };
      rmSync(rssFile, { force: true });
      resolve({ seconds, peakRss: usage.peakRss, cpuSeconds: usage.cpuSeconds, stdout });
    });
  });
}

function logRun(label, result) {
  log(`  ${label}: ${result.seconds.toFixed(2)} s (CPU ${result.cpuSeconds.toFixed(2)} s), peak RSS ${formatSize(result.peakRss)}`);
}

/**
 * Runs every entry of `runs` once per round, `repeat` rounds, interleaved, so that runs compared
 * with each other ran close in time even when the machine's speed drifts. Returns the fastest
 * result of each, its `peakRss` the highest any of its rounds reached, and every round's
 * results for ratios taken within a round.
 */
async function bestOfRounds(runs) {
  const best = {};
  const rounds = [];
  for (let round = 1; round <= repeat; round += 1) {
    if (repeat > 1) log(`  round ${round} of ${repeat}`);
    const results = {};
    for (const [label, run] of Object.entries(runs)) {
      const result = await run();
      logRun(label, result);
      results[label] = result;
      const peakRss = Math.max(result.peakRss, best[label]?.peakRss ?? 0);
      if (!best[label] || result.seconds < best[label].seconds) best[label] = { ...result, peakRss };
      else best[label].peakRss = peakRss;
    }
    rounds.push(results);
  }
  return { best, rounds };
}

/** The median over rounds of a ratio taken within each round. */
function medianRatio(rounds, ratio) {
  const values = rounds.map(ratio).sort((x, y) => x - y);
  const middle = Math.floor(values.length / 2);
  const median = values.length % 2 === 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  return +median.toFixed(2);
}

function sha256(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

async function warmPageCache(corpus) {
  const started = performance.now();
  for (const file of corpus.manifest.files) {
    await new Promise((resolve, reject) => {
      createReadStream(path.join(corpus.dir, file.path), { highWaterMark: 4 * MB })
        .on('data', () => {})
        .on('end', resolve)
        .on('error', reject);
    });
  }
  log(`  page cache warmed (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

const outDir = path.join(os.tmpdir(), `agent-rollout-bench-${process.pid}`);
mkdirSync(outDir, { recursive: true });

/** `agent-rollout ingest` of both formats to JSONL, reading the corpus as the user's home. */
async function ingest(corpus, label, workerCount, redact) {
  const out = path.join(outDir, `${label}.jsonl`);
  const report = path.join(outDir, `${label}.report.json`);
  const flags = [
    'ingest',
    '--format',
    'claude_code',
    '--format',
    'codex',
    '--out',
    out,
    '--report',
    report,
    '--workers',
    String(workerCount),
    '--quiet',
  ];
  if (!redact) flags.push('--no-redact');
  const result = await runMeasured(label, [cliBin, ...flags], { HOME: corpus.home });
  const rows = rowsOf(JSON.parse(readFileSync(report, 'utf8')));
  const outputSha256 = await sha256(out);
  rmSync(out, { force: true });
  return { ...result, rows, outputSha256 };
}

function rowsOf(report) {
  // The CLI's combined report holds one RunReport per format.
  const reports = Array.isArray(report.formats) ? report.formats : Array.isArray(report) ? report : Object.values(report.formats ?? {});
  return reports.reduce((sum, r) => sum + (r.rows ?? r.report?.rows ?? 0), 0);
}

/**
 * The figures of ingest beside the floor: (b) one worker, (c) one per core, (c) with redaction.
 * Times are the fastest of the rounds; ratios are the median of the ratios within each round.
 */
function ingestFigures(corpus, { best, rounds }) {
  const { b: one, c: many, 'c-redact': redacted } = best;
  const identical = one.outputSha256 === many.outputSha256;
  log(`    outputs of (b) and (c) ${identical ? 'are byte-identical' : 'DIFFER'} (sha256 ${one.outputSha256.slice(0, 16)}...)`);
  return {
    rows: one.rows,
    b: figures(one, corpus, one.rows),
    c: figures(many, corpus, many.rows),
    ratios: {
      bOverA: medianRatio(rounds, (r) => r.b.seconds / r.a.seconds),
      bOverC: medianRatio(rounds, (r) => r.b.seconds / r.c.seconds),
      bOverACpu: medianRatio(rounds, (r) => r.b.cpuSeconds / r.a.cpuSeconds),
      cCpuOverBCpu: medianRatio(rounds, (r) => r.c.cpuSeconds / r.b.cpuSeconds),
      // Cores (b) keeps busy (its engine collects and compiles on other threads), and the most
      // c/b could be with every core busy all through (c): c cannot use more CPU than that.
      bCores: medianRatio(rounds, (r) => r.b.cpuSeconds / r.b.seconds),
      bOverCCeiling: medianRatio(rounds, (r) => (os.availableParallelism() * r.b.seconds) / r.c.cpuSeconds),
      ...(best['a-cores'] ? { aOverACores: medianRatio(rounds, (r) => r.a.seconds / r['a-cores'].seconds) } : {}),
    },
    rounds: rounds.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([label, run]) => [
          label,
          { seconds: +run.seconds.toFixed(3), cpuSeconds: +run.cpuSeconds.toFixed(3), peakRss: formatSize(run.peakRss) },
        ]),
      ),
    ),
    outputsIdentical: identical,
    outputSha256: one.outputSha256,
    redaction: redacted
      ? { c: figures(redacted, corpus, redacted.rows), onOverOff: medianRatio(rounds, (r) => r['c-redact'].seconds / r.c.seconds) }
      : undefined,
    // Memory is judged by the highest peak of any round, not the fastest round's.
    peakRssBytes: Math.max(one.peakRss, many.peakRss),
    cSeconds: many.seconds,
    cPeakRss: many.peakRss,
  };
}

function figures(result, corpus, rows) {
  const mb = corpus.manifest.totalBytes / MB;
  return {
    seconds: +result.seconds.toFixed(3),
    // CPU time of all threads: unlike wall time, barely moved by other load on the machine.
    cpuSeconds: +result.cpuSeconds.toFixed(3),
    mbPerSecond: +(mb / result.seconds).toFixed(1),
    ...(rows === undefined ? {} : { rowsPerSecond: Math.round(rows / result.seconds) }),
    // The highest peak over the rounds when there were several.
    peakRssBytes: result.peakRss,
    peakRss: formatSize(result.peakRss),
  };
}

async function parseRates(corpus) {
  const rates = [];
  for (const format of ['claude_code', 'codex']) {
    const manifest = path.join(corpus.dir, 'corpus.json');
    const { stdout } = await runMeasured(`rate-${format}`, [path.join(import.meta.dirname, 'parse-rate.mjs'), manifest, format, buildRoot]);
    const rate = JSON.parse(stdout);
    rates.push({
      format,
      smallFiles: { files: rate.small.files, mb: +(rate.small.bytes / MB).toFixed(1), mbPerSecond: +rate.small.mbPerSecond.toFixed(1) },
      largestFile: {
        mb: +(rate.largest.bytes / MB).toFixed(1),
        lines: rate.largest.lines,
        mbPerSecond: +rate.largest.mbPerSecond.toFixed(1),
      },
      largestVsSmall: +(rate.largest.mbPerSecond / rate.small.mbPerSecond).toFixed(2),
    });
    log(
      `  per-MB rate ${format}: small files ${rate.small.mbPerSecond.toFixed(1)} MB/s, largest (${formatSize(rate.largest.bytes)}, ${rate.largest.lines} lines) ${rate.largest.mbPerSecond.toFixed(1)} MB/s`,
    );
  }
  return rates;
}

async function main() {
  log(
    `bench: corpus ${formatSize(sizeBytes)} seed ${seed}, ${workers} workers on ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  const corpus = ensureCorpus({ sizeBytes, seed, log });
  const build = snapshotBuild(repoRoot, log);
  buildRoot = build.dir;
  cliBin = path.join(build.dir, 'packages/cli/dist/bin.js');
  cleanups.push(build.dispose);
  const { manifest } = corpus;
  log(
    `  corpus: ${manifest.files.length} files, ${formatSize(manifest.totalBytes)}, largest ${formatSize(manifest.largest)} (${corpus.dir})`,
  );
  await warmPageCache(corpus);

  const floor = (label, threads) => () =>
    runMeasured(label, [path.join(import.meta.dirname, 'baseline.mjs'), path.join(corpus.dir, 'corpus.json'), String(threads)]);
  const runs = {
    a: floor('a', 1),
    // What the cores give the floor itself, which c/b can hardly exceed on this machine.
    ...(workers > 1 ? { 'a-cores': floor('a-cores', workers) } : {}),
    b: () => ingest(corpus, 'ingest-b', 1, false),
    c: () => ingest(corpus, 'ingest-c', workers, false),
    ...(args['no-redaction'] ? {} : { 'c-redact': () => ingest(corpus, 'ingest-c-redact', workers, true) }),
  };
  const results = await bestOfRounds(runs);
  const baseline = results.best.a;
  const lines = JSON.parse(baseline.stdout).lines;
  const paths = { ingest: ingestFigures(corpus, results) };

  const rates = await parseRates(corpus);

  let memory;
  if (args.memory) {
    const bigSize = parseSize(args['memory-size']);
    const big = ensureCorpus({ sizeBytes: bigSize, seed, log });
    await warmPageCache(big);
    const bigRuns = await bestOfRounds({ 'c-big': () => ingest(big, 'c-big', workers, false) });
    const bigRun = bigRuns.best['c-big'];
    const small = paths.ingest;
    memory = {
      run: 'ingest, one worker per core, no redaction',
      small: {
        corpus: formatSize(manifest.totalBytes),
        largestFile: formatSize(manifest.largest),
        peakRss: formatSize(small.cPeakRss),
        peakRssBytes: small.cPeakRss,
      },
      large: {
        corpus: formatSize(big.manifest.totalBytes),
        largestFile: formatSize(big.manifest.largest),
        peakRss: formatSize(bigRun.peakRss),
        peakRssBytes: bigRun.peakRss,
        // The same bound, with this corpus's own largest file.
        peakRssLimit: formatSize(200 * MB + 3 * big.manifest.largest),
        withinLimit: bigRun.peakRss <= 200 * MB + 3 * big.manifest.largest,
        mbPerSecond: +(big.manifest.totalBytes / MB / bigRun.seconds).toFixed(1),
      },
      largeOverSmall: +(bigRun.peakRss / small.cPeakRss).toFixed(2),
    };
  }

  const rssLimit = 200 * MB + 3 * manifest.largest;
  const targetsOf = (p) => ({
    bAtMost2xA: p.ratios.bOverA <= 2.0,
    cAtLeast1_6xFasterThanB: p.ratios.bOverC >= 1.6,
    peakRssWithinLimit: p.peakRssBytes <= rssLimit,
    cFasterThan140MBps: p.c.mbPerSecond > 140,
    ...(p.redaction ? { redactionAtMost1_3x: p.redaction.onOverOff <= 1.3 } : {}),
  });
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memory: formatSize(os.totalmem()),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      loadAverage: os.loadavg().map((v) => +v.toFixed(2)),
    },
    corpus: {
      seed,
      size: formatSize(manifest.totalBytes),
      files: manifest.files.length,
      lines,
      largestFile: formatSize(manifest.largest),
      cache: path.basename(corpus.dir),
    },
    workers,
    a: figures(baseline, corpus),
    ...(results.best['a-cores'] ? { aCores: figures(results.best['a-cores'], corpus) } : {}),
    ingest: paths.ingest,
    parseRates: rates,
    memory,
    peakRssLimit: formatSize(rssLimit),
    targets: {
      ...targetsOf(paths.ingest),
      ...(memory ? { memoryFlat: memory.largeOverSmall <= 1.25, largeCorpusPeakRssWithinLimit: memory.large.withinLimit } : {}),
      noQuadratic: rates.every((rate) => rate.largestVsSmall >= 0.5),
    },
  };

  const row = (label, f) => [label, f.seconds, f.cpuSeconds, f.mbPerSecond, f.rowsPerSecond ?? '', f.peakRss];
  const table = [
    ['', 'seconds', 'CPU s', 'MB/s', 'rows/s', 'peak RSS'],
    row('(a) baseline', result.a),
    ...(result.aCores ? [row(`(a) on ${workers} threads`, result.aCores)] : []),
    row('(b) ingest, 1 worker', paths.ingest.b),
    row(`(c) ingest, ${workers} workers`, paths.ingest.c),
    ...(paths.ingest.redaction ? [row('(c) + redaction', paths.ingest.redaction.c)] : []),
  ];
  process.stdout.write(
    `\n${table.map((cells) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(22) : String(cell).padStart(10))).join('')).join('\n')}\n\n`,
  );
  for (const [name, p] of Object.entries(paths)) {
    process.stdout.write(
      `${name}: b/a ${p.ratios.bOverA}x (CPU ${p.ratios.bOverACpu}x; target <= 2.0), c is ${p.ratios.bOverC}x faster than b (target >= 1.6; c uses ${p.ratios.cCpuOverBCpu}x b's CPU and b keeps ${p.ratios.bCores} cores busy, so with every core busy all the time c could be at most ${p.ratios.bOverCCeiling}x faster${p.ratios.aOverACores ? `; the floor on ${workers} threads is ${p.ratios.aOverACores}x faster than on one` : ''}), b and c identical: ${p.outputsIdentical}` +
        `${p.redaction ? `, redaction on/off ${p.redaction.onOverOff}x (target <= 1.3)` : ''}\n`,
    );
  }
  process.stdout.write(`peak RSS limit (200 MB + 3 x ${formatSize(manifest.largest)}): ${result.peakRssLimit}\n`);
  for (const rate of rates)
    process.stdout.write(
      `per-MB rate ${rate.format}: small ${rate.smallFiles.mbPerSecond} MB/s, largest (${rate.largestFile.mb} MB) ${rate.largestFile.mbPerSecond} MB/s\n`,
    );
  if (memory)
    process.stdout.write(
      `peak RSS ${memory.small.corpus}: ${memory.small.peakRss}, ${memory.large.corpus}: ${memory.large.peakRss} (${memory.largeOverSmall}x; its limit ${memory.large.peakRssLimit})\n`,
    );
  process.stdout.write(`targets: ${JSON.stringify(result.targets)}\n`);
  const identical = paths.ingest.outputsIdentical;

  mkdirSync(path.join(import.meta.dirname, 'results'), { recursive: true });
  const stamp = result.date.replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
  const file = path.join(import.meta.dirname, 'results', `${stamp}-${formatSize(sizeBytes)}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(import.meta.dirname, 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  log(`results written to ${path.relative(process.cwd(), file)}`);
  if (!identical) process.exitCode = 1;
}

const cleanups = [];
try {
  await main();
} finally {
  for (const cleanup of cleanups) cleanup();
  rmSync(outDir, { recursive: true, force: true });
}
