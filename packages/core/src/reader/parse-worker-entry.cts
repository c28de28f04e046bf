/**
 * The file piscina loads in each parse worker. Piscina loads its worker file with `require()`,
 * and on Node 20.19+ a `require()` of an ES module that the pool terminates halfway (a read
 * that ends or is aborted while a worker is still starting) aborts the whole process on a V8
 * check. So the entry is CommonJS, and it loads the worker module with `import()`, which a
 * terminated worker simply leaves unfinished.
 */
import type { ParseTask } from './parse-worker.js';

type ParseInWorker = typeof import('./parse-worker.js').default;

let parseInWorker: Promise<ParseInWorker> | undefined;

function parseTask(task: ParseTask | null): ReturnType<ParseInWorker> {
  parseInWorker ??= import('./parse-worker.js').then((module) => module.default);
  return parseInWorker.then((parse) => parse(task));
}

export = parseTask;
