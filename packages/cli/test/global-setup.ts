import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
/** The packages the built binary loads, in build order. Formats are optional for the toy-plugin tests. */
const PACKAGES: { name: string; required: boolean }[] = [
  { name: 'core', required: true },
  { name: 'format-claude-code', required: false },
  { name: 'format-codex', required: false },
  { name: 'cli', required: true },
];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function isStale(name: string): boolean {
  const dir = path.join(ROOT, 'packages', name);
  const built = path.join(dir, 'dist', 'index.js');
  if (!existsSync(built)) return true;
  return newestMtime(path.join(dir, 'src')) > statSync(built).mtimeMs;
}

/**
 * The end-to-end tests spawn the real binary (packages/cli/dist/bin.js), so the packages it
 * loads must be built. A fresh clone has no dist/; after an edit the build is out of date.
 * Builds only then, and only the packages the binary needs (not the whole workspace, so a
 * package the CLI does not load cannot break these tests).
 */
export default function setup(): void {
  for (const { name, required } of PACKAGES) {
    if (!isStale(name)) continue;
    try {
      // The package's build without its `rm -rf dist`: files are replaced in place, so a test
      // run elsewhere never finds dist/ missing while this one rebuilds it.
      execFileSync('pnpm', ['--filter', `./packages/${name}`, 'exec', 'tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    } catch (error) {
      if (required) throw new Error(`the build of packages/${name} failed; the end-to-end tests need it`, { cause: error });
      console.warn(`warning: the build of packages/${name} failed; tests that read its format will fail`);
    }
  }
}
