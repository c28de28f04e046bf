import {
  DEFAULT_API_KEY_ENV,
  DEFAULT_BASE_URL,
  DEFAULT_CONCURRENCY,
  DEFAULT_MODEL,
  DEFAULT_TRACE_BUDGET,
} from '@agent-rollout/recipes/defaults';
import { InvalidArgumentError } from 'commander';
import type { CommandSpec } from './flag-spec.js';
import { integerParser } from './flag-spec.js';
import { QUIET, READ_FLAGS, SOURCE_FLAGS } from './source-flags.js';

// The recipe commands' flags, kept with the other command specs so help and docs list them.
// Only defaults come from the recipes package here; the recipes load when a command runs.

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

export const TOOL_REVIEW_COMMAND: CommandSpec = {
  name: 'tool-review',
  summary: 'label every tool call with an LLM: success, failure or unclear, with a grounded summary',
  description:
    'Explodes each session into one record per tool call (its arguments, its response, and the conversation before it) and has a model label it success, failure or unclear with a summary that cites the response. Resumable like distill.',
  examples: [
    'agent-rollout tool-review --format claude_code --out tool-calls.jsonl',
    'agent-rollout tool-review --format codex --preview 2',
    'agent-rollout tool-review --base-url https://api.openai.com/v1 --api-key-env OPENAI_API_KEY --model gpt-4.1-mini --out t.jsonl',
  ],
  flags: [
    ...SOURCE_FLAGS,
    ...RECIPE_FLAGS,
    {
      flags: '--context-messages <n>',
      description: 'messages before each call sent as its context (the opening request is always sent)',
      parse: integerParser(0, 'a message count'),
      defaultValue: 8,
    },
    ...READ_FLAGS,
    QUIET,
  ],
};
