import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const coreDir = path.join(import.meta.dirname, '..', '..');

/**
 * Worker threads cannot load TypeScript, so the worker tests transpile core's current
 * sources (no type check, a fraction of a second) into a folder inside the package, where
 * `piscina` and the other dependencies resolve, and run the pool's worker from there.
 * Returns the URL of the transpiled worker entry.
 */
export interface WorkerBuild {
  workerScript: URL;
  /**
   * Copies a plain JavaScript fixture module next to the transpiled core, with its
   * `@agent-rollout/core` import pointed at it (the test process resolves that name to the
   * TypeScript sources, which a worker cannot load). Returns the copy's URL.
   */
  placeModule(fixturePath: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function transpileCoreForWorkers(): Promise<WorkerBuild> {
  const srcDir = path.join(coreDir, 'src');
  const outDir = path.join(coreDir, 'node_modules', '.cache', `worker-test-${process.pid}-${Date.now()}`);
  const entries = await readdir(srcDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !/\.c?ts$/.test(entry.name)) continue;
    const source = path.join(entry.parentPath, entry.name);
    // `.cts` becomes CommonJS (`.cjs`), the rest ES modules, as tsc builds them.
    const relative = path
      .relative(srcDir, source)
      .replace(/\.ts$/, '.js')
      .replace(/\.cts$/, '.cjs');
    const cjs = source.endsWith('.cts');
    const output = ts.transpileModule(await readFile(source, 'utf8'), {
      compilerOptions: {
        module: cjs ? ts.ModuleKind.NodeNext : ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2023,
        verbatimModuleSyntax: true,
      },
      fileName: source,
    });
    await mkdir(path.dirname(path.join(outDir, relative)), { recursive: true });
    await writeFile(path.join(outDir, relative), output.outputText);
  }
  // Without a package.json the .js files would be CommonJS.
  await writeFile(path.join(outDir, 'package.json'), '{"type":"module"}\n');
  return {
    workerScript: pathToFileURL(path.join(outDir, 'reader', 'parse-worker-entry.cjs')),
    async placeModule(fixturePath) {
      const text = await readFile(fixturePath, 'utf8');
      const target = path.join(outDir, 'fixtures', path.basename(fixturePath));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text.replaceAll("from '@agent-rollout/core'", "from '../index.js'"));
      return pathToFileURL(target).href;
    },
    dispose: () => rm(outDir, { recursive: true, force: true }),
  };
}
