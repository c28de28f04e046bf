import { rm } from 'node:fs/promises';
import path from 'node:path';
import { defaultRegistry, discoverFormats, FormatHandler, FormatRegistry, type ParseFileInput } from '@agent-rollout/core';
import { assertFormatConformance, checkFormatConformance } from '@agent-rollout/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeProject, fakeSessions } from './helpers/fake-project.js';

const fakePackageJson = path.join(import.meta.dirname, 'fixtures', 'third-party', 'agent-rollout-format-fake', 'package.json');
let project: string;
let fake: FormatHandler;

beforeAll(async () => {
  project = await createFakeProject();
  await discoverFormats({ from: [project], registry: new FormatRegistry() });
  const registered = defaultRegistry().get('fake');
  if (!registered) throw new Error('the fake format package did not register');
  fake = registered;
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('the conformance kit', () => {
  it('passes a well-behaved third-party format', async () => {
    const result = await assertFormatConformance({
      handler: fake,
      packageJsonPath: fakePackageJson,
      fixturesRoot: fakeSessions,
      minRows: 2,
    });
    expect(result.rows).toBe(2);
    expect(result.checks.map((check) => [check.name, check.problems])).toEqual([
      ['registration', []],
      ['discovery declaration', []],
      ['row schema', []],
      ['tool pairing', []],
      ['determinism', []],
      ['context scopes', []],
    ]);
  });

  it('lists every problem of a format that breaks the contract', async () => {
    // Same files, but the handler drops the tool call ids, forgets its source_kind, and is never registered.
    const base = fake;
    const Broken = class extends FormatHandler {
      readonly id = 'Broken-Format';
      readonly displayName = base.displayName;
      readonly defaults = base.defaults;
      isHandledFile(relativePath: string) {
        return base.isHandledFile(relativePath);
      }
      async parseFile(input: ParseFileInput) {
        const result = await base.parseFile(input);
        for (const row of result.rows) {
          row.source_kind = 'something_else';
          for (const message of row.messages) delete message.tool_calls;
          row.source_meta = { when: Date.now() + Math.random() };
        }
        return result;
      }
    };
    const result = await checkFormatConformance({ handler: new Broken(), packageJsonPath: fakePackageJson, fixturesRoot: fakeSessions });
    const problems = Object.fromEntries(result.checks.map((check) => [check.name, check.problems]));
    expect(result.ok).toBe(false);
    expect(problems.registration).toEqual([
      'format id "Broken-Format" should be lower snake_case',
      'importing the package did not register "Broken-Format" in the default registry',
    ]);
    expect(problems['discovery declaration']).toEqual(['package.json "agentRollout.formats" does not list "Broken-Format"']);
    expect(problems['row schema']).toContain('fake-1: source_kind is "something_else", expected "Broken-Format"');
    expect(problems['tool pairing']).toEqual([
      'fake-1: messages.2: tool message answers call-1, which no earlier assistant message called',
    ]);
    expect(problems.determinism).toEqual([
      'row 0 differs between two reads of the same files',
      'row 1 differs between two reads of the same files',
    ]);
    await expect(
      assertFormatConformance({ handler: new Broken(), packageJsonPath: fakePackageJson, fixturesRoot: fakeSessions }),
    ).rejects.toThrow(/format "Broken-Format" does not conform:\n\[registration\]/);
  });
});
