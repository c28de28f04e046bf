import path from 'node:path';
import { createRedactor, isAgentRolloutError, loadRedactionRules, type RedactionOptions } from '@agent-rollout/core';
import { UsageError } from '../errors.js';
import type { ReadFlagValues } from '../flags/source-flags.js';

/**
 * The redaction every row goes through before it reaches a sink or the stats: core's
 * redactor with its built-in rules plus the `--redact-rules` file, or none with
 * `--no-redact` (undefined). Core applies it as each file is parsed, in whichever thread
 * parses it, with a fresh redactor per file, so the output does not depend on `--workers`.
 * A bad rules file is a usage error, raised before anything is read.
 */
export async function resolveRedaction(flags: ReadFlagValues, cwd: string): Promise<RedactionOptions | undefined> {
  if (!flags.redact) {
    if (flags.redactRules !== undefined) throw new UsageError('--redact-rules has no effect with --no-redact; drop one of them');
    return undefined;
  }
  try {
    const options: RedactionOptions = { enabled: true };
    if (flags.redactRules !== undefined) Object.assign(options, await loadRedactionRules(path.resolve(cwd, flags.redactRules)));
    createRedactor(options);
    return options;
  } catch (error) {
    if (isAgentRolloutError(error) && error.code === 'config') throw new UsageError(`--redact-rules: ${error.message}`);
    throw error;
  }
}
