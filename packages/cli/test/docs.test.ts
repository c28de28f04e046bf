import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCommands } from '../src/flags/commands.js';

const CLI_DOC = path.resolve(import.meta.dirname, '..', '..', '..', 'docs', 'cli.md');

describe('the CLI reference', () => {
  it('documents every command and every flag the CLI defines', async () => {
    const doc = await readFile(CLI_DOC, 'utf8');
    for (const command of describeCommands()) {
      expect(doc).toContain(`## \`agent-rollout ${command.name}\``);
      for (const flag of command.flags) {
        // `-q, --quiet` -> `--quiet`; `--format <id>` -> `--format <id>`
        const long = flag.flags.split(', ').at(-1) as string;
        expect(doc, `${command.name} ${long}`).toContain(long);
      }
    }
  });
});
