import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeError } from '@agent-rollout/core';
// Only types here: the recipes (and the AI SDK under them) load when a recipe command runs.
import type { RecipeRunOptions, RecipeRunResult } from '@agent-rollout/recipes';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import type { ReadFlagValues, SourceFlagValues } from '../flags/source-flags.js';
import { prepareRead, selectionFromFlags } from '../pipeline/prepare-read.js';

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

/** Turns the shared flags into the options of `runDistill`/`runToolReview`. */
export async function recipeOptionsFromFlags(flags: RecipeFlagValues, context: CliContext): Promise<RecipeRunOptions> {
  if (flags.out === undefined && flags.preview === undefined)
    throw new UsageError('--out <file> is needed (or --preview <n> to try a few rows)');
  if (flags.out !== undefined && flags.preview !== undefined) throw new UsageError('--preview writes nothing; drop --out or --preview');
  const { registry, sources, redaction, executor } = await prepareRead(flags, context.cwd, (text) => {
    if (!flags.quiet) context.stderr.write(text);
  });
  return {
    sources,
    registry,
    selection: selectionFromFlags(flags),
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
    redact: redaction ?? false,
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
