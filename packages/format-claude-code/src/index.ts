import { createRequire } from 'node:module';
import { defaultRegistry } from '@agent-rollout/core/format';
import { ClaudeCodeFormat } from './handler.js';

export type { ClaudeCodeContext, SessionIndexEntry, SpawnInfo } from './context.js';
export { ClaudeCodeFormat, type ClaudeCodeFormatOptions } from './handler.js';

// src/ and dist/ both sit one folder below package.json.
const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

defaultRegistry().register(new ClaudeCodeFormat(), { packageName: pkg.name, packageVersion: pkg.version, moduleUrl: import.meta.url });
