import type { NormalizedRollout } from '@agent-rollout/core';
import { z } from 'zod';
import type { Rubric } from '../engine/judge.js';
import { nonEmptyString } from '../engine/non-empty.js';
import type { Prompt } from '../engine/prompt.js';

/** What the distillation steps see of a row: where it ran and its fitted transcript. */
export interface DistillInput {
  row: NormalizedRollout;
  /** The trace fitted to the token budget. */
  transcript: string;
}

export const TASK_TYPES = [
  'bug_fix',
  'feature',
  'refactor',
  'explanation',
  'investigation',
  'testing',
  'configuration',
  'documentation',
  'other',
] as const;

export const DigestSchema = z.object({
  user_goal: nonEmptyString().describe('What the user wanted, in one or two sentences.'),
  repository_context: z.string().describe('The project, language and files involved, as far as the trace shows them.'),
  task_type: z.enum(TASK_TYPES),
  notable_actions: z.array(z.string()).describe('The steps that mattered, in order, each in a few words.'),
  useful_outcome: z.string().describe('What was achieved, or that nothing was.'),
  training_value: z.enum(['high', 'medium', 'low']),
  quality_notes: z.string().describe('Anything that makes the trace a weak example: errors, guesses, missing context.'),
});

export const SftRecordSchema = z.object({
  instruction: nonEmptyString().describe('A task a user could give, complete on its own.'),
  response: nonEmptyString().describe('The ideal answer to the instruction.'),
  skill_tags: z.array(z.string()).describe('Two to five short lowercase tags.'),
  difficulty: z.enum(['easy', 'medium', 'hard']),
});

export type Digest = z.output<typeof DigestSchema>;
export type SftRecord = z.output<typeof SftRecordSchema>;

function where(row: NormalizedRollout): string {
  const facts = [`agent: ${row.source_kind}`];
  if (row.project_path ?? row.cwd) facts.push(`working directory: ${row.project_path ?? row.cwd}`);
  if (row.git_branch) facts.push(`git branch: ${row.git_branch}`);
  facts.push(`messages: ${row.message_count}, tool calls: ${row.tool_call_count}`);
  return facts.join('\n');
}

export function digestPrompt(input: DistillInput): Prompt {
  return {
    system:
      'You study transcripts of AI coding agents at work and describe them accurately. You report only what the transcript shows; when something is not shown, you say so instead of guessing.',
    user: [
      'Summarize this coding-agent session as a digest.',
      '',
      '- user_goal: what the user asked for.',
      '- repository_context: the project, language, files and tools involved.',
      `- task_type: one of ${TASK_TYPES.join(', ')}.`,
      '- notable_actions: the steps that mattered (searches, edits, commands, test runs), in order.',
      '- useful_outcome: what the session achieved, with evidence from the transcript (a passing test, a created file, an answer).',
      '- training_value: high when the session shows a clear task solved well and verifiably; medium when useful but partial or unverified; low when it failed, was trivial, or depends on context the transcript lacks.',
      '- quality_notes: errors, dead ends, guesses, or missing context a reader should know about.',
      '',
      '## Session facts',
      where(input.row),
      '',
      '## Transcript (tool calls shown as one line each; long parts elided)',
      input.transcript,
    ].join('\n'),
  };
}

export function sftPrompt(input: DistillInput & { digest: Digest }): Prompt {
  return {
    system:
      'You turn real coding-agent sessions into supervised fine-tuning examples: one instruction and the response an excellent assistant would give, grounded in what the session actually did.',
    user: [
      'Write one training example from this session.',
      '',
      '- instruction: the task as a user would phrase it, self-contained: include the code, file names or error text the task needs, since the reader will not see the session.',
      '- response: the answer an excellent assistant would give: the diagnosis and the fix (or the explanation), with code where it helps. Use only facts the session established; do not invent file contents, results or APIs.',
      '- skill_tags: two to five short lowercase tags (for example python, debugging, testing).',
      '- difficulty: easy, medium or hard for a competent developer.',
      '',
      '## Digest of the session',
      JSON.stringify(input.digest, null, 2),
      '',
      '## Transcript',
      input.transcript,
    ].join('\n'),
  };
}

export function judgePrompt(input: DistillInput & { digest: Digest; sft: SftRecord }): Prompt {
  return {
    system:
      'You are a strict reviewer of fine-tuning data. You score an example against the session it came from, and you give a high score only when the evidence supports it.',
    user: [
      'Judge this training example against the session transcript it was written from.',
      '',
      '## Example',
      `Instruction:\n${input.sft.instruction}`,
      '',
      `Response:\n${input.sft.response}`,
      '',
      '## Transcript it was written from',
      input.transcript,
    ].join('\n'),
  };
}

export const DISTILL_RUBRICS = [
  {
    name: 'groundedness',
    description: 'Every claim in the response is supported by the transcript.',
    levels: [
      'Mostly invented; contradicts the transcript.',
      'Several claims have no support in the transcript.',
      'Some unsupported details, the core is supported.',
      'Supported, with minor unsupported details.',
      'Every claim is supported by the transcript.',
    ],
  },
  {
    name: 'standalone_task',
    description: 'The instruction can be understood and solved without seeing the session.',
    levels: [
      'Meaningless without the session.',
      'Refers to things it does not show ("the file", "the error above").',
      'Understandable, but key details are missing.',
      'Self-contained, with a small gap.',
      'Fully self-contained and precise.',
    ],
  },
  {
    name: 'response_quality',
    description: 'The response is correct, complete, clear and well organized.',
    levels: [
      'Wrong or unusable.',
      'Partly wrong or very incomplete.',
      'Correct but thin or unclear.',
      'Good, with small flaws.',
      'Excellent: what an expert would write.',
    ],
  },
  {
    name: 'faithfulness',
    description: 'The example preserves what actually happened: the real cause, the real fix, the real result.',
    levels: [
      'Describes a different problem or outcome.',
      'Misstates the cause or the fix.',
      'Roughly right, with distortions.',
      'Faithful, with a small simplification.',
      'Exactly faithful to the session.',
    ],
  },
  {
    name: 'training_utility',
    description: 'How much a model would learn from this example.',
    levels: [
      'Nothing or something harmful.',
      'Trivial or too specific to this project.',
      'Somewhat useful.',
      'Useful, teaches a transferable skill.',
      'Highly useful, a model example of the skill.',
    ],
  },
] as const satisfies readonly Rubric[];

export type DistillRubricName = (typeof DISTILL_RUBRICS)[number]['name'];
export const DISTILL_RUBRIC_NAMES: readonly DistillRubricName[] = DISTILL_RUBRICS.map((rubric) => rubric.name);
