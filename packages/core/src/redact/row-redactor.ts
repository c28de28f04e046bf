import { ROLLOUT_COLUMNS } from '../schema/columns.js';
import { messageText } from '../schema/derive.js';
import type { ChatMessage, ContentBlock, NormalizedRollout, ToolCall } from '../schema/row.js';
import type { PathAnonymizer } from './path-anonymizer.js';
import { type RedactionRule, replacementFor } from './rule.js';
import { isSecretNamedValue } from './secret-assignment.js';
import type { TextRedactor } from './text-redactor.js';

export interface RowRedactorParts {
  text: TextRedactor;
  anonymizer: PathAnonymizer | undefined;
  /** The secret-assignment rule when it is enabled: JSON keys give it the name of a value. */
  namedSecret: RedactionRule | undefined;
  counts: Record<string, number>;
}

/** Row fields handled one by one below (ids and numbers among them need no scan). */
const ROW_FIELDS: ReadonlySet<string> = new Set(ROLLOUT_COLUMNS);

const MESSAGE_FIELDS: ReadonlySet<string> = new Set([
  'role',
  'content',
  'reasoning_content',
  'tool_calls',
  'tool_call_id',
  'is_error',
  'metadata',
]);

function isDataUrl(value: string): boolean {
  return value.startsWith('data:') && value.includes(';base64,');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Maps an array, copying it only when an element changed. */
function mapArray<T>(items: readonly T[], map: (item: T) => T): T[] {
  let out: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const next = map(item);
    if (next !== item && out === undefined) out = items.slice(0, i);
    if (out !== undefined) out.push(next);
  }
  return out ?? (items as T[]);
}

/**
 * Walks every string of a row (messages, tool calls, tool results, paths, `source_meta`,
 * message metadata) and returns a redacted copy; objects are copied only where something changed.
 */
export class RowRedactor {
  private readonly parts: RowRedactorParts;

  constructor(parts: RowRedactorParts) {
    this.parts = parts;
  }

  redactRow(row: NormalizedRollout): NormalizedRollout {
    const anonymizer = this.parts.anonymizer;
    if (anonymizer) {
      anonymizer.learnFrom(row.cwd);
      anonymizer.learnFrom(row.project_path);
      anonymizer.learnFrom(row.source_path);
    }
    const messages = mapArray(row.messages, (message) => this.redactMessage(message));
    const sourceMeta = this.redactJson(row.source_meta, undefined) as Record<string, unknown>;
    const next: NormalizedRollout = {
      ...row,
      source_path: this.text(row.source_path),
      cwd: this.nullableText(row.cwd),
      project_path: this.nullableText(row.project_path),
      git_branch: this.nullableText(row.git_branch),
      messages,
      source_meta: sourceMeta,
    };
    if (messages !== row.messages) next.final_assistant_message = finalAssistantText(messages);
    const extra = this.redactExtraFields(row, ROW_FIELDS);
    if (extra) Object.assign(next, extra);
    const changed =
      extra !== undefined ||
      messages !== row.messages ||
      sourceMeta !== row.source_meta ||
      next.source_path !== row.source_path ||
      next.cwd !== row.cwd ||
      next.project_path !== row.project_path ||
      next.git_branch !== row.git_branch;
    return changed ? next : row;
  }

  /**
   * Fields a newer schema (or a handler) added beyond the known ones are redacted like
   * `source_meta`, so that nothing new slips through unscanned. Returns the changed fields only.
   */
  private redactExtraFields(source: object, known: ReadonlySet<string>): Record<string, unknown> | undefined {
    let changes: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(source)) {
      if (known.has(key)) continue;
      const redacted = this.redactJson(value, key);
      if (redacted !== value) {
        changes ??= {};
        changes[key] = redacted;
      }
    }
    return changes;
  }

  private text(value: string): string {
    return this.parts.text.redact(value);
  }

  private nullableText(value: string | null): string | null {
    return value === null ? null : this.text(value);
  }

  private redactMessage(message: ChatMessage): ChatMessage {
    const content = mapArray(message.content, (block) => this.redactBlock(block));
    const reasoning = message.reasoning_content === undefined ? undefined : this.text(message.reasoning_content);
    const toolCalls = message.tool_calls === undefined ? undefined : mapArray(message.tool_calls, (call) => this.redactToolCall(call));
    const metadata = message.metadata === undefined ? undefined : (this.redactJson(message.metadata, undefined) as Record<string, unknown>);
    const extra = this.redactExtraFields(message, MESSAGE_FIELDS);
    if (
      extra === undefined &&
      content === message.content &&
      reasoning === message.reasoning_content &&
      toolCalls === message.tool_calls &&
      metadata === message.metadata
    ) {
      return message;
    }
    const next: ChatMessage = { ...message, ...extra, content };
    if (reasoning !== undefined) next.reasoning_content = reasoning;
    if (toolCalls !== undefined) next.tool_calls = toolCalls;
    if (metadata !== undefined) next.metadata = metadata;
    return next;
  }

  private redactBlock(block: ContentBlock): ContentBlock {
    if (block.type === 'text' && typeof block.text === 'string') {
      const text = this.text(block.text);
      return text === block.text ? block : { ...block, text };
    }
    // Images (and every other block) keep their shape; base64 payloads are skipped by redactJson.
    return this.redactJson(block, undefined) as ContentBlock;
  }

  private redactToolCall(call: ToolCall): ToolCall {
    const args = this.redactArguments(call.function.arguments);
    return args === call.function.arguments ? call : { ...call, function: { ...call.function, arguments: args } };
  }

  /** Tool arguments are JSON text: redact inside the parsed value so the result stays valid JSON. */
  private redactArguments(args: string): string {
    // Parsing costs more than a keyword scan; `\u` escapes could hide a keyword from the scan.
    if (!this.parts.text.mightMatch(args) && !args.includes('\\u')) return args;
    let parsed: unknown;
    try {
      parsed = JSON.parse(args);
    } catch {
      return this.text(args);
    }
    const redacted = this.redactJson(parsed, undefined);
    return redacted === parsed ? args : JSON.stringify(redacted);
  }

  /** Redacts every string in a JSON value, keys included; `name` is the key a string value sits under. */
  private redactJson(value: unknown, name: string | undefined): unknown {
    if (typeof value === 'string') return this.redactString(value, name);
    if (Array.isArray(value)) return mapArray(value, (item) => this.redactJson(item, name));
    if (!isPlainObject(value)) return value;
    // A base64 payload ({type: 'base64', data}) is binary content, not text to scan.
    const skipData = value.type === 'base64';
    let out: Record<string, unknown> | undefined;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string;
      const item = value[key];
      const nextKey = this.text(key);
      const nextItem = skipData && key === 'data' ? item : this.redactJson(item, key);
      if (out === undefined && (nextKey !== key || nextItem !== item)) {
        out = {};
        for (let j = 0; j < i; j++) {
          const earlier = keys[j] as string;
          out[earlier] = value[earlier];
        }
      }
      if (out !== undefined) out[nextKey] = nextItem;
    }
    return out ?? value;
  }

  private redactString(value: string, name: string | undefined): string {
    if (isDataUrl(value)) return value;
    const redacted = this.text(value);
    const rule = this.parts.namedSecret;
    if (redacted === value && rule !== undefined && name !== undefined && isSecretNamedValue(name, value)) {
      this.parts.counts[rule.id] = (this.parts.counts[rule.id] ?? 0) + 1;
      return replacementFor(rule.id);
    }
    return redacted;
  }
}

/** The text of the last assistant message that has text, as `final_assistant_message` is defined. */
function finalAssistantText(messages: readonly ChatMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as ChatMessage;
    if (message.role === 'assistant') {
      const text = messageText(message);
      if (text.length > 0) return text;
    }
  }
  return null;
}
