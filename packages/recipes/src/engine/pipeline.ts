import type { z } from 'zod';
import { type LlmRunner, toWireSchema } from '../llm/runner.js';
import { type JudgeResult, judgeSchema, type Rubric, renderRubrics } from './judge.js';
import type { PromptTemplate } from './prompt.js';

/** Settings an LLM step may override. */
export interface ModelSettings {
  /** Overrides the client's model for this step. */
  model?: string;
  temperature?: number;
  maxOutputTokens?: number;
}

export interface StructuredStep<Row, S extends z.ZodType> extends ModelSettings {
  /** The column the validated answer is stored under. */
  name: string;
  schema: S;
  prompt: PromptTemplate<Row>;
}

export interface JudgeStep<Row, Name extends string> extends ModelSettings {
  /** The column the scores are stored under. */
  name: string;
  rubrics: readonly Rubric<Name>[];
  /** What is judged; the rubrics and the answer format are appended by the engine. */
  prompt: PromptTemplate<Row>;
}

/** What runs a pipeline on one row. */
export interface StepContext {
  llm: LlmRunner;
  /** Per-step model overrides by step name (from `--step-model judge=...`), over the step's own. */
  stepModels?: Readonly<Record<string, string>>;
}

type AnyStep =
  | { kind: 'structured'; name: string; settings: ModelSettings; schema: z.ZodType; prompt: PromptTemplate<never> }
  | { kind: 'function'; name: string; run: (row: never) => unknown };

/** A step failed on a row; names the step. */
export class StepError extends Error {
  constructor(
    readonly step: string,
    cause: unknown,
  ) {
    super(`step "${step}": ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StepError';
  }
}

/**
 * A typed chain of steps over a row. Each LLM step adds a column holding its validated
 * answer; a function step maps the row to a new one (derived columns, flattening). The
 * row type grows with every step, so prompts and functions see exactly what exists.
 */
export class Pipeline<In, Out> {
  private constructor(private readonly steps: readonly AnyStep[]) {}

  /** An empty pipeline over rows of type `Row`. */
  static start<Row>(): Pipeline<Row, Row> {
    return new Pipeline<Row, Row>([]);
  }

  /** The names of the steps, in order. */
  get stepNames(): string[] {
    return this.steps.map((step) => step.name);
  }

  /** An LLM step whose answer is validated by `schema` and stored under `name`. */
  structured<N extends string, S extends z.ZodType>(
    step: StructuredStep<Out, S> & { name: N },
  ): Pipeline<In, Out & { [K in N]: z.output<S> }> {
    const { name, schema, prompt, ...settings } = step;
    return new Pipeline([...this.steps, { kind: 'structured', name, settings, schema, prompt: prompt as PromptTemplate<never> }]);
  }

  /** An LLM judge: scores 0-4 on each rubric, stored under `name` as `{rubric: {reasoning, score}}`. */
  judge<N extends string, R extends string>(step: JudgeStep<Out, R> & { name: N }): Pipeline<In, Out & { [K in N]: JudgeResult<R> }> {
    const { name, rubrics, prompt, ...settings } = step;
    const rubricText = renderRubrics(rubrics);
    const withRubrics: PromptTemplate<Out> = (row) => {
      const base = prompt(row);
      return { system: base.system, user: `${base.user}\n\n${rubricText}` };
    };
    return new Pipeline([
      ...this.steps,
      {
        kind: 'structured',
        name,
        settings,
        schema: judgeSchema(rubrics),
        prompt: withRubrics as PromptTemplate<never>,
      },
    ]);
  }

  /** A plain function step: derived columns, flattening, or anything else that needs no model. */
  map<Next>(name: string, run: (row: Out) => Next | Promise<Next>): Pipeline<In, Next> {
    return new Pipeline([...this.steps, { kind: 'function', name, run: run as (row: never) => unknown }]);
  }

  /** Runs every step on one row. A failing step throws a {@link StepError} naming it. */
  async run(row: In, context: StepContext): Promise<Out> {
    let current: unknown = row;
    for (const step of this.steps) {
      try {
        if (step.kind === 'function') {
          current = await step.run(current as never);
          continue;
        }
        const prompt = step.prompt(current as never);
        const model = context.stepModels?.[step.name] ?? step.settings.model;
        const value = await context.llm.structured({
          name: step.name,
          schema: step.schema,
          messages: [
            { role: 'system', content: prompt.system },
            { role: 'user', content: prompt.user },
          ],
          ...(model === undefined ? {} : { model }),
          ...(step.settings.temperature === undefined ? {} : { temperature: step.settings.temperature }),
          ...(step.settings.maxOutputTokens === undefined ? {} : { maxOutputTokens: step.settings.maxOutputTokens }),
        });
        current = { ...(current as object), [step.name]: value };
      } catch (error) {
        if (error instanceof StepError) throw error;
        throw new StepError(step.name, error);
      }
    }
    return current as Out;
  }

  /**
   * What the output depends on, for the checkpoint's config hash: each LLM step's schema,
   * settings and its prompt rendered on `probe` (a row with every column the prompts read),
   * so that after a prompt or schema changes, old rows are not taken as done. Rendering the
   * prompt, rather than hashing its code, keeps the hash the same however the code was built.
   */
  fingerprint(probe: Out): unknown[] {
    return this.steps.map((step) =>
      step.kind === 'function'
        ? { function: step.name }
        : { llm: step.name, settings: step.settings, schema: toWireSchema(step.schema), prompt: step.prompt(probe as never) },
    );
  }
}
