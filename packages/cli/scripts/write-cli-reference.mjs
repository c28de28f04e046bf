// Regenerates the flag reference in docs/cli.md from the built CLI's own definitions.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeCommands } from '../dist/flags/commands.js';
import { renderFlagReference, withFlagReference } from '../dist/flags/render-reference.js';

const doc = path.resolve(import.meta.dirname, '..', '..', '..', 'docs', 'cli.md');
const before = await readFile(doc, 'utf8');
const after = withFlagReference(before, renderFlagReference(describeCommands()));
await writeFile(doc, after);
console.log(before === after ? 'docs/cli.md is up to date' : 'docs/cli.md: flag reference rewritten');
