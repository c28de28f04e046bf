import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_TRACE_BUDGET } from '../defaults.js';
import { Pipeline } from '../engine/pipeline.js';
import type { Recipe, RecipeRecord } from '../run/recipe.js';
import { type RecipeRunOptions, type RecipeRunResult, runRecipe } from '../run/run-recipe.js';
import { countInto } from '../run/summary.js';
import { fitTrace } from '../trace/fit-trace.js';
import {
  DISTILL_RUBRIC_NAMES,
  DISTILL_RUBRICS,
  DigestSchema,
  type DistillInput,
  type DistillRubricName,
  digestPrompt,
  judgePrompt,
  SftRecordSchema,
  sftPrompt,
} from './distill-prompts.js';

/** When an example is recommended for SFT. */
export interface DistillThresholds {
  /** Every rubric must score at least this (0-4). Default 4. */
  minScore?: number;
  /** Per-rubric minimums over `minScore`. */
  minScores?: Partial<Record<DistillRubricName, number>>;
  /** The digest's training value must be one of these. Default `['high']`. */
  trainingValues?: readonly ('high' | 'medium' | 'low')[];
}

export interface DistillOptions extends RecipeRunOptions {
  thresholds?: DistillThresholds;
  /** Token budget of the transcript sent to each step. Default 6000. */
  traceBudgetTokens?: number;
  /** Also write the kept examples as OpenAI-chat JSONL here (rebuilt from `out` at the end of the run). */
  sftOut?: string;
}

/** The steps of the distillation: digest, SFT record, judge, flattened columns. */
export function distillPipeline() {
  return Pipeline.start<DistillInput>()
    .structured({ name: 'digest', schema: DigestSchema, prompt: digestPrompt, temperature: 0.2 })
    .structured({ name: 'sft', schema: SftRecordSchema, prompt: sftPrompt, temperature: 0.4 })
    .judge({ name: 'judge', rubrics: DISTILL_RUBRICS, prompt: judgePrompt, temperature: 0 });
}

type DistillResult = Awaited<ReturnType<ReturnType<typeof distillPipeline>['run']>>;

/** A made-up row with every column the prompts read; its rendered prompts go into the config hash. */
function distillProbe(): DistillResult {
  const score = { reasoning: 'probe', score: 4 };
  return {
    row: {
      trace_id: 'probe',
      source_kind: 'probe',
      source_path: 'probe.jsonl',
      root_session_id: 'probe',
      agent_id: null,
      is_sidechain: false,
      cwd: '/probe',
      project_path: '/probe',
      git_branch: 'main',
      started_at: null,
      ended_at: null,
      messages: [],
      source_meta: {},
      message_count: 0,
      tool_call_count: 0,
      final_assistant_message: null,
    },
    transcript: 'PROBE TRANSCRIPT',
    digest: {
      user_goal: 'g',
      repository_context: 'r',
      task_type: 'other',
      notable_actions: ['a'],
      useful_outcome: 'o',
      training_value: 'high',
      quality_notes: 'q',
    },
    sft: { instruction: 'i', response: 'r', skill_tags: ['t'], difficulty: 'easy' },
    judge: { groundedness: score, standalone_task: score, response_quality: score, faithfulness: score, training_utility: score },
  };
}

/** Whether an example passes the thresholds: every score high enough and the training value accepted. */
export function isRecommended(result: Pick<DistillResult, 'digest' | 'judge'>, thresholds: DistillThresholds = {}): boolean {
  const minScore = thresholds.minScore ?? 4;
  const values = thresholds.trainingValues ?? ['high'];
  if (!values.includes(result.digest.training_value)) return false;
  return DISTILL_RUBRIC_NAMES.every((name) => result.judge[name].score >= (thresholds.minScores?.[name] ?? minScore));
}

/** The flat columns added to a row: digest_*, sft_*, judge_<rubric>_score/_reasoning, recommended_for_sft. */
export function flattenDistillation(result: DistillResult, thresholds: DistillThresholds = {}): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result.digest)) columns[`digest_${key}`] = value;
  for (const [key, value] of Object.entries(result.sft)) columns[`sft_${key}`] = value;
  let min = 4;
  for (const name of DISTILL_RUBRIC_NAMES) {
    columns[`judge_${name}_score`] = result.judge[name].score;
    columns[`judge_${name}_reasoning`] = result.judge[name].reasoning;
    min = Math.min(min, result.judge[name].score);
  }
  columns.judge_min_score = min;
  columns.recommended_for_sft = isRecommended(result, thresholds);
  return columns;
}

/** The distillation as a recipe for the runner. */
export function distillRecipe(options: Pick<DistillOptions, 'thresholds' | 'traceBudgetTokens'> = {}): Recipe {
  const pipeline = distillPipeline();
  const thresholds = options.thresholds ?? {};
  const budget = options.traceBudgetTokens ?? DEFAULT_TRACE_BUDGET;
  return {
    name: 'distill',
    steps: pipeline.stepNames,
    fingerprint: () => ({
      steps: pipeline.fingerprint(distillProbe()),
      // Resolved, so that leaving a default out and spelling it give the same hash.
      thresholds: {
        minScore: thresholds.minScore ?? 4,
        minScores: thresholds.minScores ?? {},
        trainingValues: thresholds.trainingValues ?? ['high'],
      },
      budget,
    }),
    async process(row, context): Promise<RecipeRecord[]> {
      const transcript = fitTrace(row, { budgetTokens: budget }).text;
      try {
        const result = await pipeline.run({ row, transcript }, context);
        return [{ status: 'ok', error: null, columns: { ...row, ...flattenDistillation(result, thresholds) } }];
      } catch (error) {
        return [
          {
            status: 'failed',
            error: error instanceof Error ? error.message : String(error),
            columns: { ...row, recommended_for_sft: false },
          },
        ];
      }
    },
    tally(line, summary) {
      if (line.recipe_status !== 'ok') return;
      if (line.recommended_for_sft === true) summary.kept += 1;
      else summary.dropped += 1;
      for (const name of DISTILL_RUBRIC_NAMES) {
        const score = line[`judge_${name}_score`];
        if (typeof score === 'number') countInto(summary.histograms, name, score);
      }
      if (typeof line.digest_training_value === 'string') countInto(summary.histograms, 'training_value', line.digest_training_value);
    },
    preview(line) {
      if (line.recipe_status !== 'ok') return `--- ${String(line.trace_id)}: FAILED: ${String(line.recipe_error)}\n`;
      const scores = DISTILL_RUBRIC_NAMES.map((name) => `${name} ${String(line[`judge_${name}_score`])}`).join(', ');
      return [
        `--- ${String(line.trace_id)} (${String(line.digest_task_type)}, training value ${String(line.digest_training_value)})`,
        `goal: ${String(line.digest_user_goal)}`,
        `instruction: ${String(line.sft_instruction)}`,
        `response: ${String(line.sft_response)}`,
        `scores: ${scores}`,
        `recommended_for_sft: ${String(line.recommended_for_sft)}`,
        '',
      ].join('\n');
    },
  };
}

/**
 * Writes the kept examples of `out` (this config, recommended for SFT) to `sftOut` as
 * OpenAI-chat JSONL, through a temporary file and a rename. Rebuilt from `out` each time,
 * so a killed and resumed run never duplicates an example.
 */
export async function writeSftExamples(out: string, sftOut: string, configHash: string): Promise<number> {
  const target = path.resolve(sftOut);
  const temporary = `${target}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w');
  let examples = 0;
  try {
    const lines = createInterface({ input: createReadStream(path.resolve(out)), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const text of lines) {
      if (text.trim() === '') continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      if (line.recipe_config_hash !== configHash || line.recipe_status !== 'ok' || line.recommended_for_sft !== true) continue;
      const example = {
        messages: [
          { role: 'user', content: String(line.sft_instruction) },
          { role: 'assistant', content: String(line.sft_response) },
        ],
      };
      await handle.write(`${JSON.stringify(example)}\n`);
      examples += 1;
    }
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, target);
  return examples;
}

/**
 * Distills rows into SFT data: a digest of each trace, an instruction/response example, a
 * judge's scores on five rubrics, and `recommended_for_sft`. Enriched rows go to `out`
 * (resumable); kept examples to `sftOut` as OpenAI-chat JSONL.
 */
export async function runDistill(options: DistillOptions): Promise<RecipeRunResult> {
  const result = await runRecipe(distillRecipe(options), options);
  if (options.sftOut && options.out && options.preview === undefined) {
    const examples = await writeSftExamples(options.out, options.sftOut, result.summary.configHash);
    result.summary.sftOut = { path: path.resolve(options.sftOut), examples };
  }
  return result;
}
