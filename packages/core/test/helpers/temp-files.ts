import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export interface TempFiles {
  /** Writes a file into the folder and returns its path. */
  write(name: string, content: string | Buffer): Promise<string>;
  /** The path a file of that name has in the folder, written or not. */
  pathOf(name: string): string;
}

/** A temporary folder for the tests of the calling file: made before them, removed after. */
export function useTempFiles(prefix: string): TempFiles {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const pathOf = (name: string): string => path.join(dir, name);
  return {
    pathOf,
    async write(name, content) {
      await writeFile(pathOf(name), content);
      return pathOf(name);
    },
  };
}
