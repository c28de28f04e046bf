import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { transpileCoreForWorkers, type WorkerBuild } from './worker-build.js';

/** The worker fixtures: the tally formats (plain JavaScript, loadable by worker threads) and their sessions. */
export const tallyFixtureDir = path.join(import.meta.dirname, '..', 'fixtures', 'worker');
export const tallySessions = path.join(tallyFixtureDir, 'sessions');

/**
 * Builds core for worker threads before the file's tests and registers the tally formats, with
 * their moduleUrl, in the default registry that this thread and the workers share by name.
 * Returns the build, for its `workerScript` and `placeModule`.
 */
export function useTallyWorkers(): () => WorkerBuild {
  let build: WorkerBuild | undefined;
  beforeAll(async () => {
    build = await transpileCoreForWorkers();
    await import(await build.placeModule(path.join(tallyFixtureDir, 'tally-format.mjs')));
  });
  afterAll(async () => {
    await build?.dispose();
  });
  return () => {
    if (build === undefined) throw new Error('the worker build is made before the tests run');
    return build;
  };
}
