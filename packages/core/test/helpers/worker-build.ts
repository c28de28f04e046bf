import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

const coreDir = path.join(import.meta.dirname, '..', '..');

/**
 * Worker threads cannot load TypeScript, so the worker tests transpile core's current
 * sources (no type check, a fraction of a second) into a folder inside the package, where
 * `piscina` and the other dependencies resolve, and run the pool's worker from there.
 * Returns the URL of the transpiled worker entry.
 */
export async function transpileCoreForWorkers(): Promise<{ workerScript: URL; dispose: () => Promise<void> }> {
  const srcDir = path.join(coreDir, 'src');
  const outDir = path.join(coreDir, 'node_modules', '.cache', `worker-test-${process.pid}-${Date.now()}`);
  const entries = await readdir(srcDir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const source = path.join(entry.parentPath, entry.name);
    const relative = path.relative(srcDir, source).replace(/\.ts$/, '.js');
    const output = ts.transpileModule(await readFile(source, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
      fileName: source,
    });
    await mkdir(path.dirname(path.join(outDir, relative)), { recursive: true });
    await writeFile(path.join(outDir, relative), output.outputText);
  }
  // Without a package.json the .js files would be CommonJS.
  await writeFile(path.join(outDir, 'package.json'), '{"type":"module"}\n');
  return {
    workerScript: new URL(`file://${path.join(outDir, 'reader', 'parse-worker.js')}`),
    dispose: () => rm(outDir, { recursive: true, force: true }),
  };
}
