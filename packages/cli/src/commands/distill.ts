import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError, isAgentRolloutError, loadRedactionRules, type RedactionOptions, type SelectionOptions } from '@agent-rollout/core';
import type { RecipeRunOptions, RecipeRunResult } from '@agent-rollout/recipes';
// Only types and defaults here: the recipes (and the AI SDK under them) load when a recipe command runs.
import {
  DEFAULT_API_KEY_ENV,
  DEFAULT_BASE_URL,
  DEFAULT_CONCURRENCY,
  DEFAULT_MODEL,
  DEFAULT_TRACE_BUDGET,
} from '@agent-rollout/recipes/defaults';
import { InvalidArgumentError } from 'commander';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import type { CommandSpec } from '../flags/commands.js';
import { integerParser } from '../flags/flag-spec.js';
import { READ_FLAGS, type ReadFlagValues, SOURCE_FLAGS, type SourceFlagValues } from '../flags/source-flags.js';
import { chooseExecutor } from '../pipeline/executor.js';
import { loadFormats } from '../pipeline/load-formats.js';
import { selectSources } from '../pipeline/select-sources.js';

/** `judge=some/model` -> `['judge', 'some/model']`. */
function parseStepModel(value: string): [string, string] {
  const match = /^([A-Za-z0-9_-]+)=(.+)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected <step>=<model>, such as judge=meta/llama-3.3-70b-instruct');
  return [match[1] as string, match[2] as string];
}

/** The flags every recipe command shares: the model, the run, the output. */
export const RECIPE_FLAGS: CommandSpec['flags'] = [
  { flags: '--out <file>', description: 'the output JSONL; rows are appended as they finish, and a rerun resumes it' },
  { flags: '--preview <n>', description: 'process <n> rows, print them, write nothing', parse: integerParser(1, 'a row count') },
  { flags: '--model <id>', description: 'the model id', defaultValue: DEFAULT_MODEL },
  { flags: '--base-url <url>', description: 'an OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, ...)', defaultValue: DEFAULT_BASE_URL },
  { flags: '--api-key-env <name>', description: 'the environment variable that holds the API key', defaultValue: DEFAULT_API_KEY_ENV },
  { flags: '--no-api-key', description: 'send no key (a local server that needs none)' },
  { flags: '--no-strict-schema', description: 'send the JSON schema without `strict: true`, for servers that reject strict schemas' },
  {
    flags: '--step-model <step=model>',
    description: 'use another model for one step (repeatable), such as judge=<id>',
    repeatable: true,
    parse: parseStepModel,
  },
  {
    flags: '--concurrency <n>',
    description: 'model calls in flight at once',
    parse: integerParser(1, 'a call count'),
    defaultValue: DEFAULT_CONCURRENCY,
  },
  {
    flags: '--timeout <seconds>',
    description: 'give up on one call after this long (it is retried)',
    parse: integerParser(1, 'seconds'),
    defaultValue: 120,
  },
  {
    flags: '--max-retries <n>',
    description: 'retries of a call on 429, 5xx and timeouts',
    parse: integerParser(0, 'a retry count'),
    defaultValue: 4,
  },
  { flags: '--retry-failed', description: 'do again the rows an earlier run recorded as failed' },
  { flags: '--summary <file>', description: 'also write the run summary (and read reports) as JSON' },
];

const QUIET = { flags: '-q, --quiet', description: 'print nothing on stderr (no progress, no summary)' };

/** The recipe flags as commander hands them over. */
export interface RecipeFlagValues extends SourceFlagValues, ReadFlagValues {
  out?: string;
  preview?: number;
  model: string;
  baseUrl: string;
  apiKeyEnv: string;
  apiKey: boolean;
  strictSchema: boolean;
  stepModel?: [string, string][];
  concurrency: number;
  timeout: number;
  maxRetries: number;
  retryFailed?: boolean;
  summary?: string;
  quiet?: boolean;
}

async function redactionFor(flags: RecipeFlagValues, cwd: string): Promise<boolean | RedactionOptions> {
  if (!flags.redact) {
    if (flags.redactRules !== undefined) throw new UsageError('--redact-rules has no effect with --no-redact; drop one of them');
    return false;
  }
  if (flags.redactRules === undefined) return true;
  try {
    return { enabled: true, ...(await loadRedactionRules(path.resolve(cwd, flags.redactRules))) };
  } catch (error) {
    if (isAgentRolloutError(error) && error.code === 'config') throw new UsageError(`--redact-rules: ${error.message}`);
    throw error;
  }
}

/** Turns the shared flags into the options of `runDistill`/`runToolReview`. */
export async function recipeOptionsFromFlags(flags: RecipeFlagValues, context: CliContext): Promise<RecipeRunOptions> {
  if (flags.out === undefined && flags.preview === undefined)
    throw new UsageError('--out <file> is needed (or --preview <n> to try a few rows)');
  if (flags.out !== undefined && flags.preview !== undefined) throw new UsageError('--preview writes nothing; drop --out or --preview');
  const { registry, discoveryFailures } = await loadFormats(flags.plugin ?? [], context.cwd);
  if (!flags.quiet)
    for (const failure of discoveryFailures)
      context.stderr.write(`warning: format package ${failure.name} was not loaded: ${failure.reason}\n`);
  const sources = await selectSources(registry, flags, context.cwd);
  const selection: SelectionOptions = {
    ...(flags.partition ? { partition: flags.partition } : {}),
    shuffle: flags.shuffle ?? false,
    seed: flags.seed ?? 0,
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
  };
  const executor = chooseExecutor(flags.workers, registry);
  return {
    sources,
    registry,
    selection,
    errorPolicy: flags.strict ? 'strict' : 'skip',
    ...(executor ? { executor } : {}),
    ...(flags.out !== undefined ? { out: path.resolve(context.cwd, flags.out) } : {}),
    ...(flags.preview !== undefined ? { preview: flags.preview, previewStream: context.stdout } : {}),
    llm: {
      baseUrl: flags.baseUrl,
      model: flags.model,
      apiKeyEnv: flags.apiKeyEnv,
      requireApiKey: flags.apiKey,
      strictJsonSchema: flags.strictSchema,
    },
    ...(flags.stepModel ? { stepModels: Object.fromEntries(flags.stepModel) } : {}),
    concurrency: flags.concurrency,
    timeoutMs: flags.timeout * 1000,
    retry: { maxRetries: flags.maxRetries },
    redact: await redactionFor(flags, context.cwd),
    retryFailed: flags.retryFailed ?? false,
    progress: { stream: context.stderr, quiet: flags.quiet ?? false },
    signal: context.signal,
  };
}

/** Runs a recipe from the command line: exit 0 when it finished (failed rows are in the output), 1 when it could not. */
export async function runRecipeCommand(
  flags: RecipeFlagValues,
  context: CliContext,
  run: (options: RecipeRunOptions) => Promise<RecipeRunResult>,
): Promise<number> {
  const options = await recipeOptionsFromFlags(flags, context);
  const { CheckpointError, LlmSetupError, RecipeRunError, renderSummary } = await import('@agent-rollout/recipes');
  let result: RecipeRunResult;
  try {
    result = await run(options);
  } catch (error) {
    if (context.signal.aborted) {
      context.stderr.write('\ninterrupted: finished rows are in the output; run the same command again to resume\n');
      return EXIT.interrupted;
    }
    if (error instanceof LlmSetupError || error instanceof RecipeRunError || error instanceof CheckpointError) {
      context.stderr.write(`error: ${error.message}\n`);
      return EXIT.failed;
    }
    context.stderr.write(`error: ${describeError(error)}\n`);
    return EXIT.failed;
  }
  if (flags.summary !== undefined) {
    await writeFile(
      path.resolve(context.cwd, flags.summary),
      `${JSON.stringify({ ...result.summary, reads: result.reports, redactions: result.redactions }, null, 2)}\n`,
    );
  }
  if (!flags.quiet) context.stderr.write(renderSummary(result.summary));
  return EXIT.ok;
}

export interface DistillFlags extends RecipeFlagValues {
  sftOut?: string;
  minScore: number;
  trainingValue: string[];
  traceBudget: number;
}

const TRAINING_VALUES = ['high', 'medium', 'low'] as const;

function parseTrainingValues(value: string): string[] {
  const values = value.split(',').map((part) => part.trim());
  for (const part of values) {
    if (!(TRAINING_VALUES as readonly string[]).includes(part))
      throw new InvalidArgumentError(`expected a comma list of ${TRAINING_VALUES.join(', ')}`);
  }
  return values;
}

export const DISTILL_COMMAND: CommandSpec = {
  name: 'distill',
  summary: 'turn sessions into SFT examples with an LLM: digest, example, judge, keep the best',
  description:
    'For each session: a digest of the trace, an instruction/response example, and a judge’s 0-4 scores on groundedness, standalone task, response quality, faithfulness and training utility. Writes the enriched rows (resumable) and, with --sft-out, the kept examples as OpenAI-chat JSONL.',
  examples: [
    'agent-rollout distill --format claude_code --out distilled.jsonl --sft-out sft.jsonl',
    'agent-rollout distill --format codex --preview 3',
    'agent-rollout distill --base-url http://localhost:8000/v1 --no-api-key --model my-model --out d.jsonl',
    'agent-rollout distill --format claude_code --partition 0/4 --out shard-0.jsonl',
  ],
  flags: [
    ...SOURCE_FLAGS,
    ...RECIPE_FLAGS,
    { flags: '--sft-out <file>', description: 'write the kept examples as OpenAI-chat JSONL (rebuilt from --out at the end)' },
    {
      flags: '--min-score <n>',
      description: 'keep an example only if every rubric scores at least <n> (0-4)',
      parse: integerParser(0, 'a score'),
      defaultValue: 4,
    },
    {
      flags: '--training-value <list>',
      description: 'keep only these digest training values (comma list of high, medium, low)',
      parse: parseTrainingValues,
      defaultValue: ['high'],
    },
    {
      flags: '--trace-budget <tokens>',
      description: 'fit each trace into about this many tokens',
      parse: integerParser(500, 'a token count'),
      defaultValue: DEFAULT_TRACE_BUDGET,
    },
    ...READ_FLAGS,
    QUIET,
  ],
};

export async function runDistillCommand(flags: DistillFlags, context: CliContext): Promise<number> {
  if (flags.minScore > 4) throw new UsageError('--min-score: scores run from 0 to 4');
  if (flags.sftOut !== undefined && flags.preview !== undefined)
    throw new UsageError('--preview writes nothing; drop --sft-out or --preview');
  const { runDistill } = await import('@agent-rollout/recipes');
  return runRecipeCommand(flags, context, (options) =>
    runDistill({
      ...options,
      thresholds: { minScore: flags.minScore, trainingValues: flags.trainingValue as ('high' | 'medium' | 'low')[] },
      traceBudgetTokens: flags.traceBudget,
      ...(flags.sftOut !== undefined ? { sftOut: path.resolve(context.cwd, flags.sftOut) } : {}),
    }),
  );
}
