import { rm } from 'node:fs/promises';
import path from 'node:path';
import {
  defaultRegistry,
  discoverFormats,
  FormatRegistry,
  loadFormatPackage,
  readRollouts,
  resolvePackageEntry,
} from '@agent-rollout/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from './helpers/collect.js';
import { createFakeProject, fakeSessions } from './helpers/fake-project.js';

let project: string;
beforeAll(async () => {
  project = await createFakeProject();
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('discoverFormats', () => {
  it('imports declared format packages from the project, reports failures, and skips the rest', async () => {
    const registry = new FormatRegistry();
    const report = await discoverFormats({ from: [path.join(project, 'src', 'deep')], registry });

    expect(report.loaded).toEqual([
      {
        name: 'agent-rollout-format-fake',
        version: '1.2.3',
        directory: path.join(project, 'node_modules', 'agent-rollout-format-fake'),
        formats: ['fake'],
      },
    ]);
    expect(report.failed).toEqual([
      {
        name: '@someone/agent-rollout-format-broken',
        directory: path.join(project, 'node_modules', '@someone', 'agent-rollout-format-broken'),
        reason: 'import failed: this plugin is broken on purpose',
      },
      {
        name: 'agent-rollout-format-liar',
        directory: path.join(project, 'node_modules', 'agent-rollout-format-liar'),
        reason: 'it declares liar but did not register it on import',
      },
    ]);
    expect((globalThis as Record<string, unknown>).__notAFormatWasImported).toBeUndefined();
    expect(registry.getRegistration('fake')).toMatchObject({ packageName: 'agent-rollout-format-fake', packageVersion: '1.2.3' });
    // Importing registered the handler in the process-wide registry too.
    expect(defaultRegistry().has('fake')).toBe(true);
  });

  it('reads sessions end to end with the discovered third-party format', async () => {
    const registry = new FormatRegistry();
    await discoverFormats({ from: [project], registry });
    const read = readRollouts({ format: 'fake', path: fakeSessions }, { registry });
    const rows = await collect(read);
    expect(rows.map((row) => [row.trace_id, row.message_count, row.tool_call_count, row.final_assistant_message])).toEqual([
      ['fake-1', 4, 1, 'Only a README.'],
      ['fake-2', 2, 0, 'Hello!'],
    ]);
    expect(read.report.files).toMatchObject({ matched: 2, parsed: 2, failed: 0 });
  });

  it('finds nothing where no package declares formats', async () => {
    const report = await discoverFormats({ from: [path.join(project, '..', 'no-such-project-here')], registry: new FormatRegistry() });
    expect(report.loaded.filter((pkg) => pkg.name === 'agent-rollout-format-fake')).toEqual([]);
  });
});

describe('loadFormatPackage', () => {
  it('loads one package by name, as --plugin does', async () => {
    const registry = new FormatRegistry();
    const report = await loadFormatPackage('agent-rollout-format-fake', { from: [project], registry });
    expect(report.loaded.map((pkg) => pkg.formats)).toEqual([['fake']]);
    expect(registry.ids()).toEqual(['fake']);
  });

  it('explains a package that is missing or declares nothing', async () => {
    const missing = await loadFormatPackage('agent-rollout-format-nope', { from: [project], registry: new FormatRegistry() });
    expect(missing.failed).toEqual([
      {
        name: 'agent-rollout-format-nope',
        reason: 'the package is not installed where it can be found (looked from the project directory up)',
      },
    ]);
    const undeclared = await loadFormatPackage('not-a-format', { from: [project], registry: new FormatRegistry() });
    expect(undeclared.failed[0]?.reason).toBe('its package.json does not declare formats; add "agentRollout": { "formats": ["<id>"] }');
    expect((globalThis as Record<string, unknown>).__notAFormatWasImported).toBeUndefined();
  });
});

describe('resolvePackageEntry', () => {
  it('follows exports conditions, else main, else index.js', () => {
    expect(resolvePackageEntry('/p', { exports: { '.': { types: './a.d.ts', import: './esm.js', require: './cjs.cjs' } } })).toBe(
      path.join('/p', 'esm.js'),
    );
    expect(resolvePackageEntry('/p', { exports: './only.js' })).toBe(path.join('/p', 'only.js'));
    expect(resolvePackageEntry('/p', { exports: { import: './root.js' } })).toBe(path.join('/p', 'root.js'));
    expect(resolvePackageEntry('/p', { main: 'lib/main.js' })).toBe(path.join('/p', 'lib/main.js'));
    expect(resolvePackageEntry('/p', {})).toBe(path.join('/p', 'index.js'));
    expect(() => resolvePackageEntry('/p', { exports: { './sub': './sub.js' } })).toThrow('no "." entry');
  });
});
