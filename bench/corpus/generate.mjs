// The benchmark corpus: a seeded, deterministic set of Claude Code and Codex sessions with
// a size distribution like real use, written once into a cache folder and reused.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeClaudeSession } from './claude.mjs';
import { writeCodexSession } from './codex.mjs';
import { createRandom, createTextPool, deriveSeed } from './random.mjs';

/** Bump when the generator's output changes, so old caches are not reused. */
export const GENERATOR_VERSION = 2;
export const MB = 1024 * 1024;

/** Where corpora are cached: $AGENT_ROLLOUT_BENCH_CACHE, else $XDG_CACHE_HOME or ~/.cache. */
export function defaultCacheRoot() {
  if (process.env.AGENT_ROLLOUT_BENCH_CACHE) return process.env.AGENT_ROLLOUT_BENCH_CACHE;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'agent-rollout-bench');
}

/** Parses `50MB`, `1GB`, `4gb`, `1.5GB` or a number of bytes. Units are binary (1 MB = 2^20 bytes). */
export function parseSize(text) {
  const match = /^(\d+(?:\.\d+)?)\s*(kb|mb|gb|b)?$/i.exec(String(text).trim());
  if (!match) throw new Error(`--size: expected a size such as 50MB or 1GB, got "${text}"`);
  const unit = (match[2] ?? 'b').toLowerCase();
  const factor = { b: 1, kb: 1024, mb: MB, gb: 1024 * MB }[unit];
  return Math.round(Number(match[1]) * factor);
}

export function formatSize(bytes) {
  return bytes >= 1024 * MB ? `${+(bytes / 1024 / MB).toFixed(2)}GB` : `${+(bytes / MB).toFixed(1)}MB`;
}

const CLAUDE_GENERATIONS = [
  ['2.1', 0.6],
  ['2.0', 0.25],
  ['1.0', 0.15],
];
const CODEX_GENERATIONS = [
  ['0.169', 0.65],
  ['0.34', 0.35],
];

function weighted(random, table) {
  let r = random.next();
  for (const [value, weight] of table) {
    r -= weight;
    if (r < 0) return value;
  }
  return table[table.length - 1][0];
}

/**
 * The sessions to write, as a pure function of size and seed: one or two huge sessions
 * (100-200 MB, fewer in small corpora), about a quarter of the bytes in 5-20 MB sessions,
 * and the rest in many sessions of 10 KB-1 MB. 60% of sessions are Claude Code, 40% Codex.
 */
export function planCorpus(sizeBytes, seed) {
  const random = createRandom(deriveSeed(seed, 0, 1));
  const plan = [];
  const hugeCount = sizeBytes >= 600 * MB ? 2 : 1;
  const hugeCap = Math.max(1 * MB, Math.floor(sizeBytes * 0.15));
  const hugeSizes = [random.int(140 * MB, 200 * MB), random.int(100 * MB, 140 * MB)]
    .slice(0, hugeCount)
    .map((size) => Math.min(size, hugeCap));
  plan.push({ kind: 'claude', generation: '2.1', targetBytes: hugeSizes[0], huge: true });
  if (hugeCount > 1) plan.push({ kind: 'codex', generation: '0.169', targetBytes: hugeSizes[1], huge: true });
  let remaining = sizeBytes - hugeSizes.reduce((a, b) => a + b, 0);
  let mediumBudget = Math.floor(remaining * 0.25);
  while (mediumBudget >= 5 * MB) {
    const size = Math.min(random.int(5 * MB, 20 * MB), mediumBudget);
    plan.push({ ...pickFormat(random), targetBytes: size, huge: false });
    mediumBudget -= size;
    remaining -= size;
  }
  while (remaining > 10 * 1024) {
    const size = Math.min(random.logUniform(10 * 1024, MB), remaining);
    plan.push({ ...pickFormat(random), targetBytes: size, huge: false });
    remaining -= size;
  }
  return plan;
}

function pickFormat(random) {
  return random.chance(0.6)
    ? { kind: 'claude', generation: weighted(random, CLAUDE_GENERATIONS) }
    : { kind: 'codex', generation: weighted(random, CODEX_GENERATIONS) };
}

const START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);
const SPAN_MS = 300 * 24 * 3600 * 1000;

/** Writes the corpus into `dir` (its `home/` holds `.claude/projects` and `.codex/sessions`). */
export function writeCorpus(dir, sizeBytes, seed, onProgress) {
  const plan = planCorpus(sizeBytes, seed);
  const pool = createTextPool(deriveSeed(seed, 0, 2));
  const home = path.join(dir, 'home');
  const projectsDir = path.join(home, '.claude', 'projects');
  const sessionsDir = path.join(home, '.codex', 'sessions');
  const files = [];
  let written = 0;
  plan.forEach((item, index) => {
    // Sessions overshoot their targets by their last record; stop once the size is reached.
    if (written >= sizeBytes) return;
    const random = createRandom(deriveSeed(seed, index + 1));
    const startMs = START_MS + Math.floor(random.next() * SPAN_MS);
    const common = { random, pool, generation: item.generation, targetBytes: item.targetBytes, startMs, huge: item.huge };
    const out = item.kind === 'claude' ? writeClaudeSession({ ...common, projectsDir }) : writeCodexSession({ ...common, sessionsDir });
    for (const file of out) {
      files.push({
        path: path.relative(dir, file.path),
        format: item.kind === 'claude' ? 'claude_code' : 'codex',
        bytes: file.bytes,
        lines: file.lines,
      });
      written += file.bytes;
    }
    onProgress?.(written, sizeBytes);
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    generatorVersion: GENERATOR_VERSION,
    seed,
    sizeBytes,
    files,
    totalBytes: written,
    largest: Math.max(...files.map((f) => f.bytes)),
  };
}

/**
 * Returns the cached corpus for this size and seed, generating it first when missing. The
 * manifest is written last, so an interrupted generation is redone rather than reused.
 */
export function ensureCorpus({ sizeBytes, seed, cacheRoot = defaultCacheRoot(), log = () => {} }) {
  const dir = path.join(cacheRoot, `corpus-v${GENERATOR_VERSION}-seed${seed}-${formatSize(sizeBytes)}`);
  const manifestPath = path.join(dir, 'corpus.json');
  if (existsSync(manifestPath)) return { dir, home: path.join(dir, 'home'), manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) };
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  log(`generating a ${formatSize(sizeBytes)} corpus (seed ${seed}) in ${dir} ...`);
  const started = performance.now();
  let lastReport = 0;
  const manifest = writeCorpus(partial, sizeBytes, seed, (done, total) => {
    if (done - lastReport > 100 * MB) {
      lastReport = done;
      log(`  ${formatSize(done)} of ~${formatSize(total)}`);
    }
  });
  writeFileSync(path.join(partial, 'corpus.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  log(
    `  done: ${manifest.files.length} files, ${formatSize(manifest.totalBytes)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { dir, home: path.join(dir, 'home'), manifest };
}

/** SHA-256 over every file's relative path and bytes, in path order. */
export async function hashTree(dir) {
  const hash = createHash('sha256');
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const paths = entries.map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
  for (const relative of paths) {
    hash.update(`${relative}\0`);
    hash.update(await readFile(path.join(dir, relative)));
  }
  return hash.digest('hex');
}
