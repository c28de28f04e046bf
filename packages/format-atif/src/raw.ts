/**
 * Small readers for the raw ATIF document. A trajectory is read with type guards rather
 * than a schema: unknown fields are ignored, and only what the mapping needs is checked.
 */

export type RawObject = Record<string, unknown>;

/** The newest ATIF version this package was written against. */
export const LATEST_KNOWN_VERSION = 'ATIF-v1.7';

export function isObject(value: unknown): value is RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function objectsOf(value: unknown): RawObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** True for a document whose `schema_version` names ATIF (`ATIF-v1.6`, `ATIF-v1.7`, ...). */
export function isAtifDocument(value: unknown): value is RawObject {
  return isObject(value) && typeof value.schema_version === 'string' && value.schema_version.startsWith('ATIF-v');
}

/** The major version of an `ATIF-vX.Y` string, or undefined when it cannot be read. */
export function majorVersion(schemaVersion: string): number | undefined {
  const match = /^ATIF-v(\d+)(?:\.\d+)?$/.exec(schemaVersion);
  return match ? Number(match[1]) : undefined;
}

/**
 * A reference from an observation result to a subagent trajectory. v1.7 resolves it by
 * `trajectory_id` (embedded in the parent) or `trajectory_path` (a file); `session_id` is
 * informational only.
 */
export interface SubagentRef {
  trajectoryId?: string;
  trajectoryPath?: string;
  sessionId?: string;
}

/** The refs of an observation result: the spec writes a list, some producers a single object. */
export function subagentRefsOf(result: RawObject): SubagentRef[] {
  const raw = result.subagent_trajectory_ref;
  const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const refs: SubagentRef[] = [];
  for (const item of items) {
    if (!isObject(item)) continue;
    const ref: SubagentRef = {};
    const trajectoryId = stringOf(item.trajectory_id);
    const trajectoryPath = stringOf(item.trajectory_path);
    const sessionId = stringOf(item.session_id);
    if (trajectoryId) ref.trajectoryId = trajectoryId;
    if (trajectoryPath) ref.trajectoryPath = trajectoryPath;
    if (sessionId) ref.sessionId = sessionId;
    refs.push(ref);
  }
  return refs;
}

/** The file a `continued_trajectory_ref` names: a path string, or an object with `trajectory_path`. */
export function continuationPathOf(doc: RawObject): string | undefined {
  const raw = doc.continued_trajectory_ref;
  if (typeof raw === 'string') return stringOf(raw);
  if (isObject(raw)) return stringOf(raw.trajectory_path);
  return undefined;
}
