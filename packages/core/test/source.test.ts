import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { expandHome, FormatRegistry, resolveSource } from '@agent-rollout/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotesFormat } from './helpers/notes-format.js';

class DefaultedNotes extends NotesFormat {
  override readonly id: string = 'defaulted';
  override readonly defaults = { path: '~/definitely-not-here-agent-rollout', filePattern: '*.notes.jsonl' };
}

let dir: string;
const registry = new FormatRegistry();
registry.register(new NotesFormat(), { packageName: 'notes-pkg' });
registry.register(new DefaultedNotes(), { packageName: 'defaulted-pkg' });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'agent-rollout-source-'));
  await writeFile(path.join(dir, 'file.txt'), 'x');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveSource', () => {
  it('fills in defaults from the handler', async () => {
    const source = await resolveSource({ format: 'notes', path: dir }, registry);
    expect(source).toMatchObject({ format: 'notes', root: dir, filePattern: '*.jsonl', recursive: true });
  });

  it('lists the known formats for an unknown one', async () => {
    await expect(resolveSource({ format: 'gemini' }, registry)).rejects.toThrow('unknown format "gemini"; known formats: defaulted, notes');
  });

  it('asks for a path when the format has no default', async () => {
    await expect(resolveSource({ format: 'notes' }, registry)).rejects.toThrow(
      'format "notes" has no default location; give the directory to read with a path',
    );
  });

  it('says which path is missing, or not a directory', async () => {
    await expect(resolveSource({ format: 'defaulted' }, registry)).rejects.toThrow(
      `the default path for format "defaulted", ${path.join(homedir(), 'definitely-not-here-agent-rollout')}, does not exist`,
    );
    await expect(resolveSource({ format: 'notes', path: path.join(dir, 'file.txt') }, registry)).rejects.toThrow('is not a directory');
  });

  it('rejects a config of the wrong shape with the field named', async () => {
    await expect(resolveSource({ format: 'notes', path: dir, recursive: 'yes' as unknown as boolean }, registry)).rejects.toThrow(
      /invalid source: recursive:/,
    );
  });

  it('expands ~', () => {
    expect(expandHome('~/x/y', '/home/u')).toBe(path.join('/home/u', 'x/y'));
    expect(expandHome('~', '/home/u')).toBe('/home/u');
    expect(expandHome('/abs/~x', '/home/u')).toBe('/abs/~x');
  });
});
