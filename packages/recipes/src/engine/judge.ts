import { z } from 'zod';
import { nonEmptyString } from './non-empty.js';

/** The lowest and highest score of every rubric. */
export const MIN_SCORE = 0;
export const MAX_SCORE = 4;

/** A named criterion with what each score from 0 to 4 means. */
export interface Rubric<Name extends string = string> {
  /** snake_case, used as a column name: `groundedness`. */
  name: Name;
  /** What the rubric measures, in one sentence. */
  description: string;
  /** What scores 0, 1, 2, 3 and 4 mean, in that order. */
  levels: readonly [string, string, string, string, string];
}

/** One rubric's verdict. */
export interface RubricScore {
  /** Why this score, citing the evidence. Written before the score so the judge reasons first. */
  reasoning: string;
  score: number;
}

export type JudgeResult<Name extends string> = { [K in Name]: RubricScore };

/** The zod schema of a judge's answer: one `{reasoning, score}` per rubric. */
export function judgeSchema<Name extends string>(rubrics: readonly Rubric<Name>[]): z.ZodType<JudgeResult<Name>> {
  const shape: Record<string, z.ZodType<RubricScore>> = {};
  for (const rubric of rubrics) {
    shape[rubric.name] = z.object({
      reasoning: nonEmptyString(),
      score: z.number().int().min(MIN_SCORE).max(MAX_SCORE),
    });
  }
  return z.object(shape) as unknown as z.ZodType<JudgeResult<Name>>;
}

/** The rubric section appended to a judge prompt. */
export function renderRubrics(rubrics: readonly Rubric[]): string {
  const parts = rubrics.map((rubric) => {
    const levels = rubric.levels.map((text, score) => `  ${score}: ${text}`).join('\n');
    return `### ${rubric.name}\n${rubric.description}\n${levels}`;
  });
  const keys = rubrics.map((rubric) => `"${rubric.name}"`).join(', ');
  return [
    '## Rubrics',
    'Score each rubric with a whole number from 0 to 4, using the level descriptions below.',
    ...parts,
    '## Answer format',
    `Answer with one JSON object whose keys are ${keys}. Each value is {"reasoning": "<one or two sentences citing the evidence>", "score": <0-4>}.`,
  ].join('\n\n');
}
