import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validateRollout } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { CLI_VERSIONS, CORPUS, GOLDEN, readFolder, withRelativeSourcePath } from './helpers.js';

// UPDATE_GOLDEN=1 rewrites the expected rows; review every diff against
// test/fixtures/corpus/<version>/_generation/sessions.md before committing it.
const update = process.env.UPDATE_GOLDEN === '1';

describe.each(CLI_VERSIONS)('golden rows for Codex %s', (version) => {
  it('gives the reviewed row for every rollout file', async () => {
    const { rows, report } = await readFolder(path.join(CORPUS, version));
    expect(report.failures).toEqual([]);
    expect(report.files.skipped).toBe(0);
    expect(rows.length).toBe(report.files.handled);
    for (const raw of rows) {
      expect(validateRollout(raw)).toEqual([]);
      const row = withRelativeSourcePath(raw, CORPUS);
      const goldenPath = path.join(GOLDEN, row.source_path.replace(/\.jsonl$/, '.json'));
      const actual = `${JSON.stringify(row, null, 2)}\n`;
      if (update) {
        await mkdir(path.dirname(goldenPath), { recursive: true });
        await writeFile(goldenPath, actual);
      }
      const expected = await readFile(goldenPath, 'utf8');
      expect(JSON.parse(actual)).toEqual(JSON.parse(expected));
      // Key order is part of the contract: equal rows give equal bytes.
      expect(actual).toBe(expected);
    }
  });
});
