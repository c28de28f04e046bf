import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RootInfo } from '@agent-rollout/core/format';
import { fileStem, resolveReference, trajectoryIdentity } from './identity.js';
import { continuationPathOf, isAtifDocument, objectsOf, type RawObject, stringOf, subagentRefsOf } from './raw.js';

/** How one trajectory file hangs under another one of the same read. */
export interface TrajectoryLink {
  /** `subagent`: the file is a delegated run (a sidechain). `continuation`: the next segment of a long run. */
  kind: 'subagent' | 'continuation';
  /** Root-relative path of the file that refers to this one. */
  parentPath: string;
  /** The trace id of the parent row: the referring file's own row, or an embedded subagent in it. */
  parentTraceId: string;
  /** The trace id of the top-level trajectory the whole tree belongs to. */
  rootSessionId: string;
  /** The trace id of this file's own row. */
  traceId: string;
  /** The step of the parent whose observation holds the reference (subagents only). */
  parentStepId?: number;
  /** The tool call that started the subagent, when the observation result names one. */
  parentToolCallId?: string;
  /** Continuations: 1 for the first continuation segment, 2 for the next, ... */
  segment?: number;
}

/**
 * The parse context of the ATIF format: which files are referenced by other files of the same
 * read, and how. Plain JSON, so it can cross into worker threads.
 */
export interface AtifParseContext {
  /** Keyed by the root-relative path of the referenced file. */
  links: Record<string, TrajectoryLink>;
}

interface Placement {
  traceId: string;
  rootSessionId: string;
  segment: number;
}

/** An outgoing reference found in a parent file, before the tree is resolved. */
interface PendingLink {
  kind: 'subagent' | 'continuation';
  target: string;
  parentPath: string;
  /** The embedded subagent holding the reference, or null for the file's own trajectory. */
  parentAgentId: string | null;
  parentStepId?: number;
  parentToolCallId?: string;
}

/** What the index needs to know of a file to name its row. */
interface ReferringFile {
  /** Its id as a top-level trajectory. */
  identity: string;
  /** Its id as a subagent file. */
  agentId: string;
  trajectoryId: string | undefined;
}

/** The agent id of an embedded subagent: its `trajectory_id`, else its position. */
export function embeddedAgentId(embedded: RawObject, index: number): string {
  return stringOf(embedded.trajectory_id) ?? `subagent-${index + 1}`;
}

/** The agent id of a subagent kept in its own file: its ids, else the file name. */
export function fileAgentId(doc: RawObject, relativePath: string): string {
  return stringOf(doc.trajectory_id) ?? stringOf(doc.session_id) ?? fileStem(relativePath);
}

/** The trace id of a subagent row: `<root session>:<agent id>`, as Claude Code subagents have. */
export function subagentTraceId(rootSessionId: string, agentId: string): string {
  return `${rootSessionId}:${agentId}`;
}

function collectLinks(doc: RawObject, root: string, relativePath: string, parentAgentId: string | null, out: PendingLink[]): void {
  const embeddedIds = new Set(objectsOf(doc.subagent_trajectories).map((embedded, i) => embeddedAgentId(embedded, i)));
  for (const step of objectsOf(doc.steps)) {
    if (step.is_copied_context === true) continue;
    const stepId = typeof step.step_id === 'number' ? step.step_id : undefined;
    const observation = step.observation;
    const results = typeof observation === 'object' && observation !== null ? objectsOf((observation as RawObject).results) : [];
    for (const result of results) {
      for (const ref of subagentRefsOf(result)) {
        // An embedded ref may also record the file it came from; the embedded copy wins.
        if (ref.trajectoryId && embeddedIds.has(ref.trajectoryId)) continue;
        if (!ref.trajectoryPath) continue;
        const target = resolveReference(root, relativePath, ref.trajectoryPath);
        if (!target) continue;
        const link: PendingLink = { kind: 'subagent', target, parentPath: relativePath, parentAgentId };
        if (stepId !== undefined) link.parentStepId = stepId;
        const callId = stringOf(result.source_call_id);
        if (callId) link.parentToolCallId = callId;
        out.push(link);
      }
    }
  }
  objectsOf(doc.subagent_trajectories).forEach((embedded, i) => {
    collectLinks(embedded, root, relativePath, embeddedAgentId(embedded, i), out);
  });
}

/** A file's text, without the byte order mark some editors write. */
export async function readTrajectoryText(filePath: string): Promise<string> {
  const text = await readFile(filePath, 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The ATIF document in a text, or undefined; `parseFile` is the one that reports bad files. */
function parseQuietly(text: string): RawObject | undefined {
  try {
    const doc: unknown = JSON.parse(text);
    return isAtifDocument(doc) ? doc : undefined;
  } catch {
    return undefined;
  }
}

function describeFile(doc: RawObject, text: string, relativePath: string): ReferringFile {
  return { identity: trajectoryIdentity(doc, text), agentId: fileAgentId(doc, relativePath), trajectoryId: stringOf(doc.trajectory_id) };
}

/**
 * Reads the files of a read that refer to other trajectory files (subagent refs by
 * `trajectory_path`, `continued_trajectory_ref`) and works out, for every referenced file,
 * its parent, the root of its tree and the trace id of its row. Only the files that mention a
 * reference and the files they name are read here; every other file is left to `parseFile`.
 */
export async function buildLinks(root: RootInfo, isHandledFile: (relativePath: string) => boolean): Promise<AtifParseContext> {
  const referring = new Map<string, ReferringFile>();
  const pending: PendingLink[] = [];
  for (const relativePath of root.files) {
    if (!isHandledFile(relativePath)) continue;
    let text: string;
    try {
      text = await readTrajectoryText(path.join(root.root, relativePath));
    } catch {
      continue; // parseFile reports the unreadable file.
    }
    if (!text.includes('trajectory_ref')) continue;
    const doc = parseQuietly(text);
    if (!doc) continue;
    referring.set(relativePath, describeFile(doc, text, relativePath));
    collectLinks(doc, root.root, relativePath, null, pending);
    const next = continuationPathOf(doc);
    const target = next ? resolveReference(root.root, relativePath, next) : undefined;
    if (target) pending.push({ kind: 'continuation', target, parentPath: relativePath, parentAgentId: null });
  }

  const known = new Set(root.files);
  const byTarget = new Map<string, PendingLink>();
  for (const link of pending) {
    if (!known.has(link.target) || link.target === link.parentPath) continue;
    const first = byTarget.get(link.target);
    if (first) {
      if (first.parentPath !== link.parentPath) {
        root.warn(`referenced by both ${first.parentPath} and ${link.parentPath}; linked under ${first.parentPath}`, link.target);
      }
      continue;
    }
    byTarget.set(link.target, link);
  }

  // A referenced file that refers nowhere was not read above; its ids name its row.
  for (const target of byTarget.keys()) {
    if (referring.has(target)) continue;
    const text = await readTrajectoryText(path.join(root.root, target)).catch(() => undefined);
    const doc = text === undefined ? undefined : parseQuietly(text);
    if (text !== undefined && doc) referring.set(target, describeFile(doc, text, target));
  }

  const links: Record<string, TrajectoryLink> = {};
  const resolved = new Map<string, Placement>();
  const resolving = new Set<string>();

  // The trace id of a file's own row, and the root of its tree, resolved through its parents.
  const resolve = (file: string): Placement => {
    const done = resolved.get(file);
    if (done) return done;
    const self = referring.get(file);
    const link = byTarget.get(file);
    if (!link || resolving.has(file)) {
      // A top-level file, or a reference cycle (broken here, at the file met twice).
      const identity = self?.identity ?? file;
      return { traceId: identity, rootSessionId: identity, segment: 0 };
    }
    resolving.add(file);
    const above = resolve(link.parentPath);
    resolving.delete(file);
    const parentTraceId = link.parentAgentId === null ? above.traceId : subagentTraceId(above.rootSessionId, link.parentAgentId);
    const entry: TrajectoryLink = {
      kind: link.kind,
      parentPath: link.parentPath,
      parentTraceId,
      rootSessionId: above.rootSessionId,
      traceId: '',
    };
    if (link.parentStepId !== undefined) entry.parentStepId = link.parentStepId;
    if (link.parentToolCallId !== undefined) entry.parentToolCallId = link.parentToolCallId;
    let traceId: string;
    let segment = 0;
    if (link.kind === 'continuation') {
      segment = above.segment + 1;
      entry.segment = segment;
      traceId = self?.trajectoryId ?? `${above.rootSessionId}:cont-${segment}`;
    } else {
      traceId = subagentTraceId(above.rootSessionId, self?.agentId ?? fileStem(file));
    }
    entry.traceId = traceId;
    links[file] = entry;
    const placement = { traceId, rootSessionId: above.rootSessionId, segment };
    resolved.set(file, placement);
    return placement;
  };
  for (const target of [...byTarget.keys()].sort()) resolve(target);
  return { links };
}
