import type { CliContext } from '../context.js';
import type { CommandSpec } from '../flags/commands.js';
import { integerParser } from '../flags/flag-spec.js';
import { READ_FLAGS, SOURCE_FLAGS } from '../flags/source-flags.js';
import { RECIPE_FLAGS, type RecipeFlagValues, runRecipeCommand } from './distill.js';

export interface ToolReviewFlags extends RecipeFlagValues {
  contextMessages: number;
}

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
    { flags: '-q, --quiet', description: 'print nothing on stderr (no progress, no summary)' },
  ],
};

export async function runToolReviewCommand(flags: ToolReviewFlags, context: CliContext): Promise<number> {
  const { runToolReview } = await import('@agent-rollout/recipes');
  return runRecipeCommand(flags, context, (options) => runToolReview({ ...options, contextMessages: flags.contextMessages }));
}
