import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimePackageImports } from '../src/testing/runtime-imports.js';

const SRC = path.join(import.meta.dirname, '..', 'src');

describe('runtimePackageImports', () => {
  it('finds zod behind the main entry, and none behind the format entry or the parse worker', () => {
    expect(runtimePackageImports(path.join(SRC, 'index.ts'))).toContain('zod');
    for (const entry of ['format/index.ts', 'reader/parse-worker.ts']) {
      expect(
        [...runtimePackageImports(path.join(SRC, entry))].filter((name) => name === 'zod'),
        entry,
      ).toEqual([]);
    }
  });

  it('follows relative imports and re-exports, and leaves out what the compiler erases', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'runtime-imports-'));
    try {
      mkdirSync(path.join(dir, 'lib'));
      writeFileSync(
        path.join(dir, 'entry.ts'),
        [
          "import type { Only } from 'types-only';",
          "export type { Also } from 'types-too';",
          "import {\n  a,\n  type B,\n} from './lib/a.js';",
          "export * from './lib/index.js';",
          "import 'side-effect';",
          "const later = () => import('loaded-later');",
        ].join('\n'),
      );
      writeFileSync(path.join(dir, 'lib', 'a.ts'), "import { z } from 'zod';\nimport { entry } from '../entry.js';\n");
      writeFileSync(path.join(dir, 'lib', 'index.ts'), "export { x } from 'node:fs';\n");
      expect([...runtimePackageImports(path.join(dir, 'entry.ts'))].sort()).toEqual(['node:fs', 'side-effect', 'zod']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file whose relative import is missing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'runtime-imports-'));
    try {
      writeFileSync(path.join(dir, 'entry.ts'), "import { gone } from './gone.js';\n");
      expect(() => runtimePackageImports(path.join(dir, 'entry.ts'))).toThrow(/entry\.ts imports .*gone\.js, which is not there/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
