import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transpileCoreForWorkers, type WorkerBuild } from './helpers/worker-build.js';

const run = promisify(execFile);

let build: WorkerBuild | undefined;
beforeAll(async () => {
  build = await transpileCoreForWorkers();
});
afterAll(async () => {
  await build?.dispose();
});

/**
 * Imports the built core in a fresh Node process whose module hook refuses the given
 * packages, then runs `afterImport` (a module body that may use `core`). Returns stdout.
 */
async function importCoreRefusing(packages: readonly string[], afterImport = ''): Promise<string> {
  if (build === undefined) throw new Error('the build is made before the tests run');
  const index = path.join(path.dirname(path.dirname(fileURLToPath(build.workerScript))), 'index.js');
  const hook = `export async function resolve(specifier, context, next) {
    const resolved = await next(specifier, context);
    for (const name of ${JSON.stringify(packages)}) if (resolved.url.includes('/node_modules/' + name + '/')) throw new Error('refused: ' + name);
    return resolved;
  }`;
  const script = `import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
    const core = await import(${JSON.stringify(pathToFileURL(index).href)});
    ${afterImport}
    console.log('imported');`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
  return stdout;
}

describe('what importing core loads', () => {
  // Every parse worker imports core: the Parquet library and the file lister are loaded only by what uses them.
  it('leaves out the Parquet library and the file lister until a sink or a listing needs them', async () => {
    expect(await importCoreRefusing(['hyparquet-writer', 'hyparquet', 'fast-glob'])).toContain('imported');
  });

  it('refuses what it is told to, so the check above can fail', async () => {
    await expect(importCoreRefusing(['zod'])).rejects.toThrow(/refused: zod/);
  });

  it('still lists files once a listing asks for it', async () => {
    const dir = path.join(import.meta.dirname, 'fixtures');
    const stdout = await importCoreRefusing(
      [],
      `const manifest = await core.buildManifest({ root: ${JSON.stringify(dir)}, filePattern: '*.json', recursive: true }); console.log('files', manifest.files.length);`,
    );
    expect(Number(/files (\d+)/.exec(stdout)?.[1])).toBeGreaterThan(0);
  });
});
