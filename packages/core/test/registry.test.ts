import { defaultRegistry, FORMAT_CONTRACT_VERSION, FormatRegistry, isFormatHandler } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { NotesFormat } from './helpers/notes-format.js';

describe('FormatRegistry', () => {
  it('registers, gets, lists by id and unregisters', () => {
    const registry = new FormatRegistry();
    const notes = new NotesFormat();
    registry.register(notes, { packageName: 'pkg-notes', packageVersion: '1.0.0' });
    expect(registry.has('notes')).toBe(true);
    expect(registry.get('notes')).toBe(notes);
    expect(registry.list()).toEqual([{ handler: notes, packageName: 'pkg-notes', packageVersion: '1.0.0' }]);
    expect(registry.unregister('notes')).toBe(true);
    expect(registry.has('notes')).toBe(false);
  });

  it('refuses an id registered twice and names both packages', () => {
    const registry = new FormatRegistry();
    registry.register(new NotesFormat(), { packageName: 'first-pkg', packageVersion: '1.0.0' });
    expect(() => registry.register(new NotesFormat(), { packageName: 'second-pkg' })).toThrow(
      'format "notes" is registered twice: by first-pkg@1.0.0 and by second-pkg; uninstall one of them',
    );
  });

  it('accepts the same module registering again', () => {
    const registry = new FormatRegistry();
    registry.register(new NotesFormat(), { packageName: 'p', moduleUrl: 'file:///p/index.js' });
    const again = new NotesFormat();
    registry.register(again, { packageName: 'p', moduleUrl: 'file:///p/index.js' });
    expect(registry.get('notes')).toBe(again);
  });

  it('refuses objects that are not handlers and other contract versions', () => {
    const registry = new FormatRegistry();
    expect(() => registry.register({ id: 'x' } as never, { packageName: 'odd' })).toThrow(
      'odd tried to register something that is not a format handler',
    );
    const future = new NotesFormat();
    Object.defineProperty(future, 'contractVersion', { value: FORMAT_CONTRACT_VERSION + 1 });
    expect(() => registry.register(future, { packageName: 'future-pkg' })).toThrow(
      `format "notes" from future-pkg implements plugin contract ${FORMAT_CONTRACT_VERSION + 1}`,
    );
  });
});

/** A module specifier that Vite loads as a separate instance (its query string differs). */
function secondCopy(specifier: string): string {
  return `${specifier}?second-copy`;
}

describe('two copies of core in one process', () => {
  it('share the default registry and recognise each other’s handlers and errors by brand', async () => {
    // A query string makes Vite load second, independent instances of the modules.
    const registryCopy: typeof import('../src/registry/format-registry.js') = await import(
      secondCopy('../src/registry/format-registry.ts')
    );
    const handlerCopy: typeof import('../src/handler/format-handler.js') = await import(secondCopy('../src/handler/format-handler.ts'));
    const errorsCopy: typeof import('../src/errors.js') = await import(secondCopy('../src/errors.ts'));
    const { isAgentRolloutParseError } = await import('@agent-rollout/core');

    expect(registryCopy.FormatRegistry).not.toBe(FormatRegistry);
    expect(registryCopy.defaultRegistry()).toBe(defaultRegistry());

    class CopyHandler extends handlerCopy.FormatHandler {
      readonly id = 'copy_format';
      readonly displayName = 'Copy';
      readonly defaults = { filePattern: '*.jsonl' };
      isHandledFile(): boolean {
        return true;
      }
      async parseFile() {
        return { rows: [] };
      }
    }
    const handler = new CopyHandler();
    expect(handler instanceof (await import('@agent-rollout/core')).FormatHandler).toBe(false);
    expect(isFormatHandler(handler)).toBe(true);
    const registry = new FormatRegistry();
    registry.register(handler, { packageName: 'copy-pkg' });
    expect(registry.get('copy_format')).toBe(handler);

    expect(isAgentRolloutParseError(new errorsCopy.AgentRolloutParseError('f.jsonl', 3, 'bad'))).toBe(true);
  });
});
