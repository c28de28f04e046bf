// A private copy of the built workspace (every package's dist/, package.json and its
// node_modules links) for the length of a run: other work on the repository may rebuild a
// package (rm -rf dist) while the benchmark runs, which must not break or skew it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function copyOnce(repoRoot) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agent-rollout-bench-build-'));
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'));
  for (const name of readdirSync(path.join(repoRoot, 'packages'))) {
    const from = path.join(repoRoot, 'packages', name);
    const to = path.join(dir, 'packages', name);
    if (!existsSync(path.join(from, 'dist'))) continue;
    cpSync(path.join(from, 'dist'), path.join(to, 'dist'), { recursive: true });
    cpSync(path.join(from, 'package.json'), path.join(to, 'package.json'));
    if (existsSync(path.join(from, 'node_modules'))) {
      // The links are relative (../../../core, ../../../node_modules/.pnpm/...), so they
      // resolve inside the copy; tool caches are left behind.
      cpSync(path.join(from, 'node_modules'), path.join(to, 'node_modules'), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (source) => !/[\\/]\.(cache|vite-temp|vite)([\\/]|$)/.test(source),
      });
    }
  }
  return dir;
}

function works(dir) {
  const cli = path.join(dir, 'packages/cli/dist/bin.js');
  if (!existsSync(cli) || !existsSync(path.join(dir, 'packages/core/dist/reader/parse-worker.js'))) return false;
  const result = spawnSync(process.execPath, [cli, 'formats', '--json'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('claude_code') && result.stdout.includes('codex');
}

/** Copies the build, retrying while a package is half rebuilt. Returns the copy's root and a cleanup. */
export function snapshotBuild(repoRoot, log) {
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const dir = copyOnce(repoRoot);
    if (works(dir)) return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
    rmSync(dir, { recursive: true, force: true });
    log(`  the build looks incomplete (a package is being rebuilt?); trying again (${attempt}/10)`);
    spawnSync('sleep', ['5']);
  }
  throw new Error('bench: no complete build to run; run `pnpm build` first');
}
