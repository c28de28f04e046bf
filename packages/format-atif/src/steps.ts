import { type ChatMessage, TimeRange, type ToolCall } from '@agent-rollout/core/format';
import { toContentBlocks, type UnknownTypeCounts } from './content.js';
import { isObject, objectsOf, type RawObject, type SubagentRef, stringOf, subagentRefsOf } from './raw.js';

/** A subagent reference as `source_meta.subagent_trajectory_refs` lists it. */
export interface RefRecord {
  step_id: number | null;
  source_call_id: string | null;
  trajectory_id: string | null;
  trajectory_path: string | null;
  session_id: string | null;
  /** The trace id of the row that holds the subagent, when it is part of this read. */
  trace_id: string | null;
}

/** What the step walk needs from its caller. */
export interface StepEnvironment {
  /** Absolute path of the trajectory file (images are resolved from its folder). */
  trajectoryPath: string;
  /** The trace id of the row a subagent ref leads to, or null when it is not in this read. */
  traceIdOfRef(ref: SubagentRef): string | null;
  /** A problem with the data: a warning, or an error in strict mode. */
  problem(message: string): void;
}

/** The messages of one trajectory and what was learned on the way. */
export interface StepsResult {
  messages: ChatMessage[];
  times: TimeRange;
  copiedStepIds: number[];
  /** Observation results that answer no tool call, emitted as `user` (or `system`) messages. */
  observationsWithoutCall: number;
  refs: RefRecord[];
  models: string[];
  unknownTypes: UnknownTypeCounts;
  usage: { prompt_tokens: number; completion_tokens: number; cached_tokens: number; cost_usd: number; steps_with_metrics: number };
  contextManagementSteps: number;
  /** Agent steps with `llm_call_count: 0`: deterministic dispatches, not model output. */
  dispatchSteps: number;
}

function describeKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const ROLE_OF_SOURCE: Record<string, 'system' | 'user' | 'assistant'> = { system: 'system', user: 'user', agent: 'assistant' };

function isJsonObjectText(text: string): boolean {
  try {
    return isObject(JSON.parse(text));
  } catch {
    return false;
  }
}

/** ATIF writes arguments as an object; the chat shape wants the JSON text of an object. */
function argumentsText(value: unknown, where: string, env: StepEnvironment): string {
  if (value === undefined || value === null) return '{}';
  if (isObject(value)) return JSON.stringify(value);
  if (typeof value === 'string' && isJsonObjectText(value)) return value;
  env.problem(
    `${where}: expected "arguments" to be an object, found ${Array.isArray(value) ? 'a list' : typeof value}; kept as {"input": ...}`,
  );
  return JSON.stringify({ input: value });
}

function addNumber(
  target: StepsResult['usage'],
  key: 'prompt_tokens' | 'completion_tokens' | 'cached_tokens' | 'cost_usd',
  value: unknown,
): void {
  if (typeof value === 'number' && Number.isFinite(value)) target[key] += value;
}

/** The facts of one step that are not chat content, for the message's `metadata`. */
function stepMetadata(step: RawObject, stepId: number | null): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (stepId !== null) metadata.step_id = stepId;
  const model = stringOf(step.model_name);
  if (model) metadata.model_name = model;
  const effort = step.reasoning_effort;
  if (typeof effort === 'string' || typeof effort === 'number') metadata.reasoning_effort = effort;
  if (typeof step.llm_call_count === 'number') metadata.llm_call_count = step.llm_call_count;
  if (isObject(step.metrics)) metadata.metrics = step.metrics;
  if (isObject(step.extra) && isObject(step.extra.context_management)) metadata.context_management = step.extra.context_management;
  return metadata;
}

/**
 * Turns the steps of one trajectory into chat messages, in step order:
 * `system` and `user` steps become messages of that role; an `agent` step becomes one
 * `assistant` message (text, reasoning, tool calls) followed by one `tool` message per
 * observation result that answers a tool call. Results that answer no call become a `user`
 * message (a `system` one on a system step), since that is how the model saw them.
 * Steps marked `is_copied_context` are left out and their ids listed.
 */
export function convertSteps(steps: readonly unknown[], env: StepEnvironment): StepsResult {
  const result: StepsResult = {
    messages: [],
    times: new TimeRange(),
    copiedStepIds: [],
    observationsWithoutCall: 0,
    refs: [],
    models: [],
    unknownTypes: {},
    usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, cost_usd: 0, steps_with_metrics: 0 },
    contextManagementSteps: 0,
    dispatchSteps: 0,
  };
  const calledIds = new Set<string>();
  const content = (value: unknown) => toContentBlocks(value, env.trajectoryPath, result.unknownTypes);

  steps.forEach((step, index) => {
    if (!isObject(step)) {
      env.problem(`step #${index + 1}: expected an object, found ${describeKind(step)}; it was left out`);
      return;
    }
    const stepId = typeof step.step_id === 'number' ? step.step_id : null;
    const where = `step ${stepId ?? `#${index + 1}`}`;
    if (step.is_copied_context === true) {
      if (stepId !== null) result.copiedStepIds.push(stepId);
      return;
    }
    const source = typeof step.source === 'string' ? step.source : '';
    const role = ROLE_OF_SOURCE[source];
    if (!role) {
      env.problem(`${where}: expected "source" to be system, user or agent, found ${JSON.stringify(step.source)}; the step was left out`);
      return;
    }
    result.times.add(step.timestamp);
    const metadata = stepMetadata(step, stepId);
    if (metadata.context_management) result.contextManagementSteps += 1;

    if (role === 'assistant') {
      const model = stringOf(step.model_name);
      if (model && !result.models.includes(model)) result.models.push(model);
      if (step.llm_call_count === 0) result.dispatchSteps += 1;
      if (isObject(step.metrics)) {
        result.usage.steps_with_metrics += 1;
        addNumber(result.usage, 'prompt_tokens', step.metrics.prompt_tokens);
        addNumber(result.usage, 'completion_tokens', step.metrics.completion_tokens);
        addNumber(result.usage, 'cached_tokens', step.metrics.cached_tokens);
        addNumber(result.usage, 'cost_usd', step.metrics.cost_usd);
      }
      const toolCalls: ToolCall[] = [];
      if (step.tool_calls !== undefined && step.tool_calls !== null && !Array.isArray(step.tool_calls)) {
        env.problem(`${where}: expected "tool_calls" to be a list, found ${describeKind(step.tool_calls)}; the calls were left out`);
      }
      for (const call of objectsOf(step.tool_calls)) {
        const id = stringOf(call.tool_call_id);
        const name = stringOf(call.function_name);
        if (!id || !name) {
          env.problem(`${where}: a tool call has no ${id ? '"function_name"' : '"tool_call_id"'}; the call was left out`);
          continue;
        }
        if (calledIds.has(id)) {
          env.problem(`${where}: tool call id ${id} was already used by an earlier step; the repeated call was left out`);
          continue;
        }
        calledIds.add(id);
        toolCalls.push({ id, type: 'function', function: { name, arguments: argumentsText(call.arguments, `${where}, call ${id}`, env) } });
      }
      const message: ChatMessage = { role: 'assistant', content: content(step.message), metadata };
      const reasoning = stringOf(step.reasoning_content);
      if (reasoning) message.reasoning_content = reasoning;
      if (toolCalls.length > 0) message.tool_calls = toolCalls;
      result.messages.push(message);
    } else {
      const blocks = content(step.message);
      if (blocks.length > 0) result.messages.push({ role, content: blocks, metadata });
    }

    const observation = step.observation;
    if (observation === undefined || observation === null) return;
    if (!isObject(observation)) {
      env.problem(`${where}: expected "observation" to be an object with "results"; it was left out`);
      return;
    }
    if (!Array.isArray(observation.results)) {
      env.problem(`${where}: expected "observation.results" to be a list, found ${describeKind(observation.results)}; it was left out`);
    }
    for (const observed of objectsOf(observation.results)) {
      const callId = stringOf(observed.source_call_id);
      const refs = subagentRefsOf(observed);
      const refMeta = refs.map((ref) => {
        const record: RefRecord = {
          step_id: stepId,
          source_call_id: callId ?? null,
          trajectory_id: ref.trajectoryId ?? null,
          trajectory_path: ref.trajectoryPath ?? null,
          session_id: ref.sessionId ?? null,
          trace_id: env.traceIdOfRef(ref),
        };
        result.refs.push(record);
        return record;
      });
      const resultMetadata: Record<string, unknown> = stepId === null ? {} : { step_id: stepId };
      if (refMeta.length > 0) resultMetadata.subagent_trace_ids = refMeta.map((ref) => ref.trace_id);
      const blocks = content(observed.content);
      if (callId && calledIds.has(callId) && role === 'assistant') {
        result.messages.push({ role: 'tool', content: blocks, tool_call_id: callId, metadata: resultMetadata });
        continue;
      }
      if (callId) {
        env.problem(
          `${where}: an observation answers tool call ${callId}, which no earlier step of this trajectory made; kept as an observation`,
        );
      }
      if (blocks.length === 0) continue;
      result.observationsWithoutCall += 1;
      resultMetadata.observation = true;
      result.messages.push({ role: role === 'system' ? 'system' : 'user', content: blocks, metadata: resultMetadata });
    }
  });
  return result;
}
