import type { ContentBlock, ToolCall } from '@agent-rollout/core/format';
import { type BlockCounter, toContentBlocks } from './content.js';
import { isObject, type JsonObject, stringField } from './records.js';

/** Response item types that are tool calls, and the types that answer them. */
export const TOOL_CALL_TYPES: ReadonlySet<string> = new Set([
  'function_call',
  'custom_tool_call',
  'local_shell_call',
  'web_search_call',
  'tool_search_call',
  'image_generation_call',
]);
export const TOOL_OUTPUT_TYPES: ReadonlySet<string> = new Set(['function_call_output', 'custom_tool_call_output', 'tool_search_output']);

/** True for a text that parses as a JSON object. */
function isJsonObjectText(text: string): boolean {
  // Anything that does not open with `{` after JSON whitespace is not an object: no parse (and no thrown error) for it.
  let at = 0;
  let c = text.charCodeAt(at);
  while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++at);
  if (c !== 0x7b) return false;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value);
  } catch {
    return false;
  }
}

/**
 * Arguments as the JSON text of an object, as fine-tuning formats require. JSON object text
 * is kept byte for byte; free-form text (an apply_patch body) becomes `{"input": <text>}`.
 */
export function argumentsText(value: unknown): string {
  if (typeof value === 'string') return isJsonObjectText(value) ? value : JSON.stringify({ input: value });
  if (isObject(value)) return JSON.stringify(value);
  if (value === undefined || value === null) return '{}';
  return JSON.stringify({ input: value });
}

const NOT_ARGUMENTS: ReadonlySet<string> = new Set([
  'type',
  'id',
  'call_id',
  'status',
  'result',
  'encrypted_content',
  'internal_chat_message_metadata_passthrough',
]);

/** The fields of a server-side or unknown call that describe what it was asked to do. */
function describedArguments(item: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(item)) if (!NOT_ARGUMENTS.has(key)) out[key] = value;
  return out;
}

/**
 * A tool call item as a chat tool call. `callId` is the id the outputs answer (`call_id`,
 * else the item id, else one made up from the line number for server-side calls that
 * have no output).
 */
export function toToolCall(item: JsonObject, line: number): ToolCall {
  const type = item.type as string;
  const callId = stringField(item.call_id) ?? stringField(item.id) ?? `${type}_line_${line}`;
  let name: string;
  let args: string;
  switch (type) {
    case 'function_call': {
      const base = stringField(item.name) ?? 'function';
      const namespace = stringField(item.namespace);
      // The namespace stays visible: `collaboration.spawn_agent`.
      name = namespace !== undefined && !base.startsWith(`${namespace}.`) ? `${namespace}.${base}` : base;
      args = argumentsText(item.arguments);
      break;
    }
    case 'custom_tool_call':
      name = stringField(item.name) ?? 'custom_tool';
      args = JSON.stringify({ input: typeof item.input === 'string' ? item.input : (item.input ?? '') });
      break;
    case 'local_shell_call':
      name = 'local_shell';
      args = argumentsText(isObject(item.action) ? item.action : describedArguments(item));
      break;
    case 'web_search_call':
      name = 'web_search';
      args = argumentsText(isObject(item.action) ? item.action : describedArguments(item));
      break;
    default:
      name = stringField(item.name) ?? type.replace(/_call$/, '');
      args = item.arguments !== undefined ? argumentsText(item.arguments) : argumentsText(describedArguments(item));
  }
  return { id: callId, type: 'function', function: { name, arguments: args } };
}

/** A tool output as chat content, with the success or failure the output states. */
export interface ToolResult {
  callId: string | undefined;
  content: ContentBlock[];
  /** True for a failure, false for a success, undefined when the output does not say. */
  isError: boolean | undefined;
  exitCode: number | undefined;
}

const EXIT_CODE_HEADER = /^(?:Exit code: (-?\d+)|Process exited with code (-?\d+))$/m;

/** The exit code a shell output header states (`Exit code: N` or `Process exited with code N`). */
export function exitCodeFromHeader(text: string): number | undefined {
  const head = text.slice(0, 400);
  const outputAt = head.indexOf('\nOutput:');
  const match = EXIT_CODE_HEADER.exec(outputAt === -1 ? head : head.slice(0, outputAt));
  const digits = match?.[1] ?? match?.[2];
  return digits === undefined ? undefined : Number(digits);
}

/**
 * The metadata Codex writes after a JSON output's text, at its end: `,"metadata":{"exit_code":N}}`,
 * with or without `"duration_seconds"` after the code.
 */
const METADATA_TAIL = /,"metadata":\{"exit_code":(-?\d+)(?:,"duration_seconds":\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)?\}\}$/y;

/** The exit code of a 0.29/0.34-style JSON output: `{"output": ..., "metadata": {"exit_code": N}}`. */
export function exitCodeFromJsonOutput(text: string): number | undefined {
  if (!text.startsWith('{')) return undefined;
  // The usual shape is read from its last bytes: in JSON text, quotes inside strings are
  // escaped, so an unescaped `,"metadata":{` closed by the text's last `}` is a member of the
  // top-level object (a text that is not JSON yet ends this way is read the same). Parsing
  // the whole output (it can be megabytes) is left to other shapes.
  const metadataAt = text.lastIndexOf(',"metadata":{');
  if (metadataAt !== -1) {
    METADATA_TAIL.lastIndex = metadataAt;
    const tail = METADATA_TAIL.exec(text);
    if (tail !== null) return Number(tail[1]);
  }
  return text.includes('"exit_code"') ? exitCodeByParsing(text) : undefined;
}

/** The exit code of a JSON output read by parsing it whole: `metadata.exit_code` when it is a number. */
export function exitCodeByParsing(text: string): number | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!isObject(value) || !isObject(value.metadata)) return undefined;
    const code = value.metadata.exit_code;
    return typeof code === 'number' ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a `function_call_output` / `custom_tool_call_output`. The output text is kept as
 * the model saw it; success or failure comes from an exit code (JSON metadata or a shell
 * header) or from the `success` flag of structured outputs.
 */
export function toToolResult(item: JsonObject, countOther: BlockCounter): ToolResult {
  const callId = stringField(item.call_id);
  const output = item.output;
  if (typeof output === 'string') {
    const exitCode = exitCodeFromJsonOutput(output) ?? exitCodeFromHeader(output);
    return { callId, content: [{ type: 'text', text: output }], isError: exitCode === undefined ? undefined : exitCode !== 0, exitCode };
  }
  if (isObject(output)) {
    const content = toContentBlocks(output.content, countOther);
    const isError = typeof output.success === 'boolean' ? !output.success : undefined;
    const text = content.find((block) => block.type === 'text');
    const exitCode = text && typeof text.text === 'string' ? exitCodeFromHeader(text.text) : undefined;
    return { callId, content, isError: isError ?? (exitCode === undefined ? undefined : exitCode !== 0), exitCode };
  }
  if (output === undefined) {
    // An output item without `output` (a tool search result lists what it found in other fields).
    const rest = describedArguments(item);
    return { callId, content: [{ type: 'text', text: JSON.stringify(rest) }], isError: undefined, exitCode: undefined };
  }
  const content = toContentBlocks(output, countOther);
  return { callId, content, isError: undefined, exitCode: undefined };
}
