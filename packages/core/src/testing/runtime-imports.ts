import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** `import ... from 'x'`, `import 'x'` and `export ... from 'x'`; `import type` and `export type` are erased by TypeScript. */
const STATIC_IMPORT = /^\s*(import|export)\s+(?!type\s)([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/**
 * The packages (bare specifiers such as `zod` or `@agent-rollout/core/format`, and `node:`
 * built-ins) that importing `entryFile` loads: its static imports, and those of the files it
 * imports by relative path, read from their TypeScript or JavaScript source. Type-only
 * imports and exports are left out, as the compiler erases them; `import()` calls are not
 * followed. A format package can check with it that a parse worker loading it does not load
 * core's main entry (see `@agent-rollout/core/format`).
 */
export function runtimePackageImports(entryFile: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const pending = [path.resolve(entryFile)];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = match[3] as string;
      if (specifier.startsWith('.')) pending.push(sourceOf(path.resolve(path.dirname(file), specifier), file));
      else packages.add(specifier);
    }
  }
  return packages;
}

/** The source file a relative import names: `./x.js` is `./x.ts` in the sources. */
function sourceOf(imported: string, importer: string): string {
  const candidates = [imported.replace(/\.js$/, '.ts'), imported, path.join(imported, 'index.ts')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error(`${importer} imports ${imported}, which is not there`);
  return found;
}
