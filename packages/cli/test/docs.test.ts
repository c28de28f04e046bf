import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCommands } from '../src/flags/commands.js';
import { REFERENCE_END, REFERENCE_START, renderFlagReference } from '../src/flags/render-reference.js';

const CLI_DOC = path.resolve(import.meta.dirname, '..', '..', '..', 'docs', 'cli.md');

describe('the CLI reference', () => {
  it('has a section for every command', async () => {
    const doc = await readFile(CLI_DOC, 'utf8');
    for (const command of describeCommands()) expect(doc).toContain(`## \`agent-rollout ${command.name}\``);
  });

  it('holds the flag reference exactly as the CLI definitions generate it (run `pnpm docs:cli` after changing a flag)', async () => {
    const doc = await readFile(CLI_DOC, 'utf8');
    const start = doc.indexOf(REFERENCE_START);
    const end = doc.indexOf(REFERENCE_END);
    expect(start, 'docs/cli.md has no generated flag reference').toBeGreaterThan(-1);
    expect(doc.slice(start, end + REFERENCE_END.length)).toBe(renderFlagReference(describeCommands()));
  });

  it('lists every command in the CLI help', () => {
    const names = describeCommands().map((command) => command.name);
    expect(names).toEqual(['ingest', 'formats', 'stats', 'distill', 'tool-review']);
  });
});
