import type { CliContext } from '../context.js';
import { type RecipeFlagValues, runRecipeCommand } from './distill.js';

export interface ToolReviewFlags extends RecipeFlagValues {
  contextMessages: number;
}

export async function runToolReviewCommand(flags: ToolReviewFlags, context: CliContext): Promise<number> {
  const { runToolReview } = await import('@agent-rollout/recipes');
  return runRecipeCommand(flags, context, (options) => runToolReview({ ...options, contextMessages: flags.contextMessages }));
}
