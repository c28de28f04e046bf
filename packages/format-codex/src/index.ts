import { createRequire } from 'node:module';
import { defaultRegistry } from '@agent-rollout/core/format';
import { CodexFormat } from './handler.js';

const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

defaultRegistry().register(new CodexFormat(), {
  packageName: pkg.name,
  packageVersion: pkg.version,
  moduleUrl: import.meta.url,
});

export { CodexFormat, type CodexParseContext } from './handler.js';
