/**
 * Small type guards over raw Claude Code transcript records. Raw lines are read without a
 * schema library on purpose: they are many, and only a few fields matter.
 */

/** A raw JSON object from one transcript line. */
export type RawRecord = Record<string, unknown>;

/** Record types that sit in the `uuid` / `parentUuid` tree. */
export const TREE_RECORD_TYPES: ReadonlySet<string> = new Set(['user', 'assistant', 'system', 'attachment', 'progress']);

/** A record that takes part in the conversation tree: it has a type from {@link TREE_RECORD_TYPES} and a uuid. */
export interface TreeRecord extends RawRecord {
  type: string;
  uuid: string;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

/** A non-empty string field, else undefined. */
export function nonEmptyString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function recordType(record: RawRecord): string {
  return typeof record.type === 'string' ? record.type : '(no type)';
}

/**
 * True for records that belong to the conversation tree. Decided by `type` and a uuid, never
 * by the presence of a `message`: `api-request-blob` lines carry a message and are not turns.
 */
export function isTreeRecord(record: RawRecord): record is TreeRecord {
  return typeof record.type === 'string' && TREE_RECORD_TYPES.has(record.type) && typeof record.uuid === 'string' && record.uuid.length > 0;
}

export function parentUuid(record: RawRecord): string | undefined {
  return nonEmptyString(record, 'parentUuid');
}

export function isSidechainRecord(record: RawRecord): boolean {
  return record.isSidechain === true;
}

/** The `message` object of a user or assistant record. */
export function messageOf(record: RawRecord): Record<string, unknown> | undefined {
  return isObject(record.message) ? record.message : undefined;
}

/**
 * `message.content` as a list of block objects (a string becomes one text block). A list of
 * blocks only is returned as it is, not copied: callers read it and must not change it.
 */
export function contentBlocks(content: unknown): readonly Record<string, unknown>[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (Array.isArray(content)) return content.every(isObject) ? content : content.filter(isObject);
  // Very old lines hold a single block object instead of a list.
  if (isObject(content)) return [content];
  return [];
}

export function isAssistantRecord(record: RawRecord): boolean {
  return record.type === 'assistant' && messageOf(record) !== undefined;
}

export function isUserRecord(record: RawRecord): boolean {
  return record.type === 'user' && messageOf(record) !== undefined;
}

/** The API message id of an assistant record (`msg_…`), shared by every line of one response. */
export function assistantMessageId(record: RawRecord): string | undefined {
  const message = messageOf(record);
  return message ? nonEmptyString(message, 'id') : undefined;
}

/** Model id written by the CLI itself on made-up assistant lines (API errors, "No response requested."). */
export const SYNTHETIC_MODEL = '<synthetic>';

/** Names of the tool that starts a subagent: `Task` up to ~2.1.62, `Agent` after. */
export const SUBAGENT_TOOL_NAMES: ReadonlySet<string> = new Set(['Task', 'Agent']);

/** Fields of a bookkeeping record that a row uses; the rest (request payloads, snapshots) is dropped early. */
const BOOKKEEPING_FIELDS: readonly string[] = [
  'type',
  'uuid',
  'timestamp',
  'sessionId',
  'agentId',
  'version',
  'entrypoint',
  'cwd',
  'gitBranch',
  'customTitle',
  'aiTitle',
  'summary',
  'leafUuid',
];

/**
 * Members no row uses, left out by the JSONL reader before a line is even decoded: the
 * structured `toolUseResult` repeats a tool's output (whole files, patches) that the
 * `tool_result` block already holds; over a third of the benchmark corpus's Claude Code bytes.
 */
export const UNREAD_MEMBERS: readonly string[] = ['toolUseResult'];

/**
 * Drops the parts of a record that no row uses, so a large session is not held in memory
 * twice: progress payloads (copies of subagent messages), attachment payloads other than
 * their kind (the rendered text stays), and everything but a few fields of bookkeeping
 * records (API request payloads, snapshots). `toolUseResult` never gets this far
 * ({@link UNREAD_MEMBERS}).
 */
export function slimRecord(record: RawRecord): RawRecord {
  if (!isTreeRecord(record)) {
    const slim: RawRecord = {};
    for (const key of BOOKKEEPING_FIELDS) if (key in record) slim[key] = record[key];
    return slim;
  }
  // Set to undefined, not deleted: a delete turns the object into a slow dictionary, and every
  // later read of the record's fields would pay for it.
  if (record.type === 'progress' && record.data !== undefined) record.data = undefined;
  if (record.type === 'attachment' && isObject(record.attachment)) {
    const { type, prompt } = record.attachment;
    record.attachment = type === 'queued_command' ? { type, prompt } : { type };
  }
  return record;
}
