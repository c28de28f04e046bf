import { type ChatMessage, messageText, type NormalizedRollout } from '@agent-rollout/core';
import { z } from 'zod';
import { nonEmptyString } from '../engine/non-empty.js';
import { Pipeline } from '../engine/pipeline.js';
import type { Prompt } from '../engine/prompt.js';
import type { Recipe, RecipeRecord } from '../run/recipe.js';
import { type RecipeRunOptions, type RecipeRunResult, runRecipe } from '../run/run-recipe.js';
import { countInto } from '../run/summary.js';
import { clip, fitTrace } from '../trace/fit-trace.js';

/** One tool call of a row, with its response and the conversation before it. */
export interface ToolInteraction {
  trace_id: string;
  source_kind: string;
  source_path: string;
  root_session_id: string;
  tool_call_id: string;
  tool_name: string;
  /** The call's arguments, JSON text as the agent sent them. */
  tool_arguments: string;
  /** The tool's answer as text; null when the trace holds no answer. */
  tool_response: string | null;
  /** What the trace itself says about failure (`is_error`), null when it does not say. */
  tool_is_error: boolean | null;
  /** This call's place among the row's calls, 0-based. */
  call_index: number;
  /** Index of the assistant message that made the call. */
  message_index: number;
  /** The conversation up to the call, windowed and fitted to a budget. */
  context: string;
}

export const REVIEW_LABELS = ['success', 'failure', 'unclear'] as const;

export const ToolReviewSchema = z.object({
  label: z.enum(REVIEW_LABELS),
  summary: nonEmptyString().describe('What the call tried and what came back, citing the response.'),
  evidence: z.string().describe('A short quote from the tool response that supports the label, or "" when there is none.'),
});

export interface ToolReviewOptions extends RecipeRunOptions {
  /** Messages before the call kept as context (besides the opening request). Default 8. */
  contextMessages?: number;
  /** Token budget of the context. Default 1500. */
  contextBudgetTokens?: number;
  /** Characters of the tool response sent to the model. Default 6000. */
  responseChars?: number;
}

/** Explodes a row into one interaction per tool call, in order, with a window of context before each. */
export function toolInteractions(
  row: NormalizedRollout,
  options: Pick<ToolReviewOptions, 'contextMessages' | 'contextBudgetTokens'> = {},
): ToolInteraction[] {
  const window = options.contextMessages ?? 8;
  const budget = options.contextBudgetTokens ?? 1500;
  const results = new Map<string, ChatMessage>();
  for (const message of row.messages) if (message.role === 'tool' && message.tool_call_id) results.set(message.tool_call_id, message);
  const opening = row.messages.findIndex((message) => message.role === 'user');
  const interactions: ToolInteraction[] = [];
  row.messages.forEach((message, messageIndex) => {
    for (const call of message.tool_calls ?? []) {
      const windowStart = Math.max(0, messageIndex - window);
      const before = row.messages.slice(windowStart, messageIndex + 1);
      const contextMessages = opening >= 0 && opening < windowStart ? [row.messages[opening] as ChatMessage, ...before] : before;
      // The calling message's own results come after it; leave them out of the context.
      const withoutOwnResults = contextMessages.map((m) => (m === message ? { ...m, tool_calls: [] } : m));
      const result = results.get(call.id);
      interactions.push({
        trace_id: row.trace_id,
        source_kind: row.source_kind,
        source_path: row.source_path,
        root_session_id: row.root_session_id,
        tool_call_id: call.id,
        tool_name: call.function.name,
        tool_arguments: call.function.arguments,
        tool_response: result ? messageText(result) : null,
        tool_is_error: result?.is_error ?? null,
        call_index: interactions.length,
        message_index: messageIndex,
        context: fitTrace({ messages: withoutOwnResults }, { budgetTokens: budget }).text,
      });
    }
  });
  return interactions;
}

export function toolReviewPrompt(responseChars: number) {
  return (interaction: ToolInteraction): Prompt => ({
    system:
      'You review single tool calls made by AI coding agents. You judge only from the call and the response shown, and you quote the response as evidence.',
    user: [
      'Did this tool call achieve what the agent intended?',
      '',
      '- label: success when the response shows the intended effect or information; failure when it shows an error, a wrong result, or no effect; unclear when the response is missing or does not show either.',
      '- summary: one or two sentences: what the agent tried and what came back. Mention only what the response shows.',
      '- evidence: a short exact quote from the response supporting the label, or "" when there is no response.',
      '',
      '## Conversation before the call',
      interaction.context,
      '',
      `## The call: ${interaction.tool_name}`,
      clip(interaction.tool_arguments, 2000),
      '',
      '## The response',
      interaction.tool_response === null
        ? '(no response recorded)'
        : `${interaction.tool_is_error ? '(the tool reported an error)\n' : ''}${clip(interaction.tool_response, responseChars)}`,
    ].join('\n'),
  });
}

/** The review step of one interaction. */
export function toolReviewPipeline(responseChars = 6000) {
  return Pipeline.start<ToolInteraction>().structured({
    name: 'review',
    schema: ToolReviewSchema,
    prompt: toolReviewPrompt(responseChars),
    temperature: 0,
  });
}

/** A made-up interaction; its rendered prompt goes into the config hash. */
function toolReviewProbe() {
  return {
    trace_id: 'probe',
    source_kind: 'probe',
    source_path: 'probe.jsonl',
    root_session_id: 'probe',
    tool_call_id: 'call-1',
    tool_name: 'probe_tool',
    tool_arguments: '{}',
    tool_response: 'PROBE RESPONSE',
    tool_is_error: false,
    call_index: 0,
    message_index: 0,
    context: 'PROBE CONTEXT',
    review: { label: 'success' as const, summary: 's', evidence: 'e' },
  };
}

/** The tool review as a recipe for the runner: one record per tool call. */
export function toolReviewRecipe(
  options: Pick<ToolReviewOptions, 'contextMessages' | 'contextBudgetTokens' | 'responseChars'> = {},
): Recipe {
  const pipeline = toolReviewPipeline(options.responseChars);
  const settings = {
    contextMessages: options.contextMessages ?? 8,
    contextBudgetTokens: options.contextBudgetTokens ?? 1500,
    responseChars: options.responseChars ?? 6000,
  };
  return {
    name: 'tool-review',
    steps: pipeline.stepNames,
    fingerprint: () => ({ steps: pipeline.fingerprint(toolReviewProbe()), settings }),
    async process(row, context): Promise<RecipeRecord[]> {
      const interactions = toolInteractions(row, settings);
      return Promise.all(
        interactions.map(async (interaction): Promise<RecipeRecord> => {
          try {
            const { review } = await pipeline.run(interaction, context);
            return {
              status: 'ok',
              error: null,
              columns: { ...interaction, review_label: review.label, review_summary: review.summary, review_evidence: review.evidence },
            };
          } catch (error) {
            return {
              status: 'failed',
              error: error instanceof Error ? error.message : String(error),
              columns: { ...interaction, review_label: null, review_summary: null, review_evidence: null },
            };
          }
        }),
      );
    },
    tally(line, summary) {
      if (line.recipe_status !== 'ok') return;
      if (line.review_label === 'success') summary.kept += 1;
      else summary.dropped += 1;
      countInto(summary.histograms, 'label', String(line.review_label));
      countInto(summary.histograms, `label by tool`, `${String(line.tool_name)}:${String(line.review_label)}`);
    },
    preview(line) {
      if (line.recipe_status !== 'ok')
        return `--- ${String(line.trace_id)} #${String(line.call_index)}: FAILED: ${String(line.recipe_error)}`;
      return [
        `--- ${String(line.trace_id)} #${String(line.call_index)} ${String(line.tool_name)}: ${String(line.review_label)}`,
        `  ${String(line.review_summary)}`,
        line.review_evidence ? `  evidence: ${clip(String(line.review_evidence), 200)}` : '',
      ]
        .filter(Boolean)
        .join('\n');
    },
  };
}

/**
 * Reviews every tool call of every row: one record per call with its response and the
 * windowed context before it, labelled success/failure/unclear with a grounded summary.
 */
export function runToolReview(options: ToolReviewOptions): Promise<RecipeRunResult> {
  return runRecipe(toolReviewRecipe(options), options);
}
