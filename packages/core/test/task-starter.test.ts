import { describe, expect, it } from 'vitest';
import { type BatchLimits, TaskStarter } from '../src/reader/task-starter.js';

/**
 * A starter whose batches only finish when told to. Records each batch as it starts (the
 * names of its tasks joined with `+`); a batch's result for each task is the task's name.
 */
function harness(slots: number, bigSize: number, batching?: BatchLimits) {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const starter = new TaskStarter<string, string>(
    slots,
    bigSize,
    (names) => {
      const batch = names.join('+');
      started.push(batch);
      return new Promise<string[]>((resolve) => finishers.set(batch, () => resolve(names)));
    },
    batching,
  );
  const add = (name: string, size: number) => starter.add(size, name);
  const finish = async (batch: string) => {
    const finisher = finishers.get(batch);
    if (!finisher) throw new Error(`batch ${batch} has not started`);
    finisher();
    // Let the settled batch free its slot and start the next one.
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

  it('passes a failed batch on to the callers of its tasks and goes on with the next', async () => {
    const starter = new TaskStarter<string, string>(1, 100, async ([name]) => {
      if (name === 'broken') throw new Error('broken file');
      return [`${name} done`];
    });
    const failing = starter.add(1, 'broken');
    const next = starter.add(1, 'next');
    await expect(failing).rejects.toThrow('broken file');
    expect(await next).toBe('next done');
  });

  it('starts small tasks waiting in a row as one batch, within its byte and task limits', async () => {
    const { add, finish, started } = harness(1, 1000, { smallSize: 10, maxBytes: 20, maxTasks: 3 });
    const results = [
      add('first', 1),
      add('a', 5),
      add('b', 5),
      add('c', 5),
      add('d', 5),
      add('e', 9),
      add('f', 9),
      add('large', 10),
      add('g', 1),
    ];
    expect(started).toEqual(['first']);
    // Three tasks at most; then 9 + 9 bytes fit in 20, a third 9 would not; a task of
    // `smallSize` or more runs alone and ends the batch before it.
    await finish('first');
    await finish('a+b+c');
    await finish('d+e');
    await finish('f');
    await finish('large');
    await finish('g');
    expect(started).toEqual(['first', 'a+b+c', 'd+e', 'f', 'large', 'g']);
    expect(await Promise.all(results)).toEqual(['first', 'a', 'b', 'c', 'd', 'e', 'f', 'large', 'g']);
  });

  it('gives each task of a batch its own result, and fails them all when the batch fails', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const batches: number[][] = [];
    const starter = new TaskStarter<number, number>(
      1,
      1000,
      async (values) => {
        batches.push(values);
        // The first batch holds the slot until the gate opens, so the tasks after it wait together.
        if (values[0] === 0) await gate;
        if (values.includes(13)) throw new Error('unlucky batch');
        return values.map((value) => value * 2);
      },
      { smallSize: 10, maxBytes: 100, maxTasks: 3 },
    );
    const blocker = starter.add(1, 0);
    const doubled = [1, 2, 3].map((value) => starter.add(1, value));
    const failing = [starter.add(1, 12), starter.add(1, 13)];
    // Not small: it starts alone, after the failed batch.
    const after = starter.add(10, 14);
    open();
    expect(await blocker).toBe(0);
    expect(await Promise.all(doubled)).toEqual([2, 4, 6]);
    await expect(failing[0]).rejects.toThrow('unlucky batch');
    await expect(failing[1]).rejects.toThrow('unlucky batch');
    expect(await after).toBe(28);
    expect(batches).toEqual([[0], [1, 2, 3], [12, 13], [14]]);
  });
});
