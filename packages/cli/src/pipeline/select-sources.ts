import { stat } from 'node:fs/promises';
import path from 'node:path';
import { type AgentRolloutSource, expandHome, type FormatRegistry, isAgentRolloutError, resolveSource } from '@agent-rollout/core';
import { UsageError } from '../errors.js';
import type { SourceFlagValues } from '../flags/source-flags.js';

async function isDirectory(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}

function knownFormats(registry: FormatRegistry): string {
  const ids = registry.ids();
  return ids.length > 0 ? ids.join(', ') : 'none (install a format package, or load one with --plugin)';
}

/**
 * The sources a command reads, checked before anything is written: the `--format` ids (each
 * must be registered), or without `--format` every format whose default path exists here.
 * A bad id, a missing folder or an impossible combination is a usage error.
 */
export async function selectSources(registry: FormatRegistry, flags: SourceFlagValues, cwd: string): Promise<AgentRolloutSource[]> {
  const requested = [...new Set(flags.format ?? [])];
  for (const id of requested) {
    if (!registry.has(id)) throw new UsageError(`--format ${id}: unknown format; available: ${knownFormats(registry)}`);
  }
  if (flags.path !== undefined && requested.length !== 1) {
    throw new UsageError(`--path needs exactly one --format (which format is in ${flags.path}?); available: ${knownFormats(registry)}`);
  }
  if (flags.seed !== undefined && !flags.shuffle) throw new UsageError('--seed only matters with --shuffle; add --shuffle or drop --seed');

  let formats = requested;
  if (formats.length === 0) {
    formats = [];
    for (const { handler } of registry.list()) {
      const defaultPath = handler.defaults.path;
      if (defaultPath !== undefined && (await isDirectory(path.resolve(expandHome(defaultPath))))) formats.push(handler.id);
    }
    if (formats.length === 0) {
      const where = registry
        .list()
        .map(({ handler }) => `${handler.id} (${handler.defaults.path ?? 'no default path'})`)
        .join(', ');
      throw new UsageError(
        `--format: no format has sessions at its default path on this machine${where ? ` [${where}]` : ''}; name one with --format <id> --path <dir>`,
      );
    }
  }

  const sources: AgentRolloutSource[] = formats.map((format) => {
    const source: AgentRolloutSource = { format, recursive: flags.recursive };
    if (flags.path !== undefined) source.path = path.resolve(cwd, expandHome(flags.path));
    if (flags.filePattern !== undefined) source.filePattern = flags.filePattern;
    return source;
  });
  for (const source of sources) {
    try {
      await resolveSource(source, registry);
    } catch (error) {
      if (isAgentRolloutError(error) && error.code === 'config') {
        throw new UsageError(`${flags.path !== undefined ? '--path' : '--format'}: ${error.message}`);
      }
      throw error;
    }
  }
  return sources;
}
