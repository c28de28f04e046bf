// Packs every public package as it would be published and checks what a user would get:
// publint and "Are the Types Wrong?" on each tarball, then a throwaway project outside the
// workspace installs the tarballs of core and a format package with npm and uses them.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(tmpdir(), 'agent-rollout-pack-'));
const tarballs = path.join(work, 'tarballs');
mkdirSync(tarballs);

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
}

const packages = readdirSync(path.join(root, 'packages'))
  .map((dir) => ({
    dir: path.join(root, 'packages', dir),
    pkg: JSON.parse(readFileSync(path.join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter(({ pkg }) => !pkg.private);

const packed = new Map();
try {
  for (const { dir, pkg } of packages) {
    const before = new Set(readdirSync(tarballs));
    run('pnpm', ['pack', '--pack-destination', tarballs], dir);
    const tarball = readdirSync(tarballs).find((file) => !before.has(file));
    if (!tarball) throw new Error(`pnpm pack wrote no tarball for ${pkg.name}`);
    packed.set(pkg.name, path.join(tarballs, tarball));
    console.log(`packed ${pkg.name}@${pkg.version}`);
    run('npx', ['publint', 'run', path.join(tarballs, tarball), '--strict'], root);
    run('npx', ['attw', path.join(tarballs, tarball), '--profile', 'esm-only'], root);
  }

  const consumer = path.join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  const wanted = ['@agent-rollout/core', '@agent-rollout/format-claude-code'];
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...wanted.map((name) => packed.get(name))], consumer);
  const sessions = path.join(consumer, 'sessions');
  cpSync(path.join(root, 'packages', 'format-claude-code', 'test', 'fixtures', 'corpus'), sessions, { recursive: true });
  writeFileSync(
    path.join(consumer, 'use.mjs'),
    `import { createWorkerExecutor, defaultRegistry, readRollouts } from '@agent-rollout/core';
import { ClaudeCodeFormat } from '@agent-rollout/format-claude-code';
const registration = defaultRegistry().getRegistration('claude_code');
if (!registration || !(registration.handler instanceof ClaudeCodeFormat)) throw new Error('claude_code did not register on import');
const read = readRollouts({ format: 'claude_code', path: ${JSON.stringify(sessions)} });
let rows = 0;
for await (const row of read) rows += row.message_count > 0 ? 1 : 0;
if (rows === 0) throw new Error('no rows read from the installed packages');
console.log('installed packages read ' + rows + ' rows; report: ' + JSON.stringify(read.report.files));
// The worker threads start from the packed worker entry.
const pooled = readRollouts({ format: 'claude_code', path: ${JSON.stringify(sessions)} }, { executor: createWorkerExecutor({ workers: 2 }) });
let pooledRows = 0;
for await (const row of pooled) pooledRows += row.message_count > 0 ? 1 : 0;
if (pooledRows !== rows) throw new Error('two worker threads read ' + pooledRows + ' rows, one thread ' + rows);
console.log('two worker threads read the same ' + pooledRows + ' rows');
`,
  );
  process.stdout.write(run('node', ['use.mjs'], consumer));
  console.log('package checks passed');
} finally {
  rmSync(work, { recursive: true, force: true });
}
