import { describe, expect, it } from 'vitest';
import { TaskStarter } from '../src/reader/task-starter.js';

/** Adds tasks that only finish when told to, and records the order they start in. */
function harness(slots: number, bigSize: number) {
  const starter = new TaskStarter<string>(slots, bigSize);
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const add = (name: string, size: number) =>
    starter.add(size, () => {
      started.push(name);
      return new Promise<string>((resolve) => finishers.set(name, () => resolve(name)));
    });
  const finish = async (name: string) => {
    finishers.get(name)?.();
    // Let the settled task free its slot and start the next one.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { add, finish, started };
}

describe('TaskStarter', () => {
  it('starts small tasks in the order given, never more than its slots at once', async () => {
    const { add, finish, started } = harness(2, 100);
    const results = ['a', 'b', 'c', 'd'].map((name) => add(name, 1));
    expect(started).toEqual(['a', 'b']);
    await finish('b');
    expect(started).toEqual(['a', 'b', 'c']);
    await finish('a');
    await finish('c');
    await finish('d');
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('starts a big task before smaller ones waiting ahead of it, the largest first', async () => {
    const { add, finish, started } = harness(1, 100);
    add('running', 1);
    add('small-1', 1);
    add('big-200', 200);
    add('small-2', 99);
    add('big-500', 500);
    await finish('running');
    await finish('big-500');
    await finish('big-200');
    await finish('small-1');
    await finish('small-2');
    expect(started).toEqual(['running', 'big-500', 'big-200', 'small-1', 'small-2']);
  });

  it('passes a failed task on to its caller and goes on with the next', async () => {
    const starter = new TaskStarter<string>(1, 100);
    const failing = starter.add(1, () => Promise.reject(new Error('broken file')));
    const next = starter.add(1, async () => 'next');
    await expect(failing).rejects.toThrow('broken file');
    expect(await next).toBe('next');
  });
});
