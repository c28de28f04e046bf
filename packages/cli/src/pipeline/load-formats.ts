import path from 'node:path';
import { type DiscoveryFailure, defaultRegistry, discoverFormats, type FormatRegistry, loadFormatPackage } from '@agent-rollout/core';
import { UsageError } from '../errors.js';

/** The folder of this package: format packages installed beside the CLI are found from here. */
export const CLI_PACKAGE_DIR = path.resolve(import.meta.dirname, '..', '..');

export interface LoadedFormats {
  registry: FormatRegistry;
  /** Installed packages that declare formats but could not be loaded: warnings, not errors. */
  discoveryFailures: DiscoveryFailure[];
}

/**
 * Loads the `--plugin` packages (a plugin that cannot be loaded is a usage error), then
 * every installed format package found from the working directory and from the CLI's own
 * folder. Formats are never imported by name here: a third party's package works the same.
 */
export async function loadFormats(plugins: readonly string[], cwd: string): Promise<LoadedFormats> {
  const registry = defaultRegistry();
  const from = [cwd, CLI_PACKAGE_DIR];
  for (const plugin of plugins) {
    const report = await loadFormatPackage(plugin, { from, registry });
    const failure = report.failed[0];
    if (failure) throw new UsageError(`--plugin ${plugin}: ${failure.reason}`);
  }
  const discovered = await discoverFormats({ from, registry });
  const pluginNames = new Set(plugins);
  return { registry, discoveryFailures: discovered.failed.filter((failure) => !pluginNames.has(failure.name)) };
}
