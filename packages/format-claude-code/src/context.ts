import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type RootInfo, readJsonlRecords, toEpochMs } from '@agent-rollout/core';
import { classifyPath, helperAgentLabel } from './paths.js';
import {
  assistantMessageId,
  contentBlocks,
  isObject,
  isTreeRecord,
  messageOf,
  nonEmptyString,
  type RawRecord,
  SUBAGENT_TOOL_NAMES,
} from './records.js';
import { inFileSidechainAgentId, isWarmupPrompt, mainSessionId } from './session-id.js';

/** What a project's `sessions-index.json` says about one session. */
export interface SessionIndexEntry {
  summary?: string;
  firstPrompt?: string;
  projectPath?: string;
  customTitle?: string;
}

/** How a subagent was started: the parent's tool call, the agent type and its description. */
export interface SpawnInfo {
  toolUseId?: string;
  agentType?: string;
  description?: string;
}

/** Where the first copy of a replayed line lives. */
export interface CopyOwner {
  /** Relative path of the file that holds the original. */
  file: string;
  sessionId: string;
}

/**
 * Per-read state, built once from every matched file: the session indexes, the subagent
 * meta files, the links between parents and subagents, and which file first wrote each
 * line and API response (so copies made by resume or fork are not counted twice). Plain
 * JSON data, so it can be sent to worker threads.
 */
export interface ClaudeCodeContext {
  /** `sessions-index.json` entries by session id. */
  sessionIndex: Record<string, SessionIndexEntry>;
  /** Subagent `.meta.json` contents by the relative path of the agent's `.jsonl`. */
  agentMeta: Record<string, SpawnInfo>;
  /** Parent tool call of a subagent, from the parent's tool result, by `sessionId:agentId`. */
  spawnByAgent: Record<string, SpawnInfo>;
  /** `Task`/`Agent` calls by `sessionId` + NUL + prompt, to link subagents that carry no id. */
  spawnByPrompt: Record<string, SpawnInfo>;
  /** Subagent trace ids (real subagents only) by parent session id. */
  subagentsBySession: Record<string, string[]>;
  /** Internal helper and warm-up agents skipped, by parent session id. */
  helpersBySession: Record<string, number>;
  /** The file that first wrote an API response, by project folder + NUL + `message.id`. */
  responseOwner: Record<string, CopyOwner>;
  /** The file that first wrote a conversation line, by project folder + NUL + `uuid`. */
  uuidOwner: Record<string, CopyOwner & { time: number }>;
  /**
   * `summary` records by project folder + NUL + `leafUuid`. CLI 1.x wrote the titles of other
   * sessions into whichever file was open, so a session's title can sit in another file.
   */
  summaryByLeaf: Record<string, string>;
}

export function emptyContext(): ClaudeCodeContext {
  return {
    sessionIndex: {},
    agentMeta: {},
    spawnByAgent: {},
    spawnByPrompt: {},
    subagentsBySession: {},
    helpersBySession: {},
    responseOwner: {},
    uuidOwner: {},
    summaryByLeaf: {},
  };
}

export function promptKey(sessionId: string, prompt: string): string {
  return `${sessionId}\u0000${prompt.trim()}`;
}

export function ownerKey(projectDir: string, id: string): string {
  return `${projectDir}\u0000${id}`;
}

interface ResponseCandidate extends CopyOwner {
  time: number;
  hasRequestId: boolean;
}

/** True when `a` is the better claim to be the original copy than `b`. */
function earlier(a: ResponseCandidate, b: ResponseCandidate): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.hasRequestId !== b.hasRequestId) return a.hasRequestId;
  return a.file < b.file;
}

/** Builds the context from every matched file under the root. */
export async function buildClaudeCodeContext(root: RootInfo): Promise<ClaudeCodeContext> {
  const context = emptyContext();
  const responses = new Map<string, ResponseCandidate>();
  const projectDirs = new Set<string>();

  for (const relativePath of root.files) {
    const kind = classifyPath(relativePath);
    if (kind.kind === 'other') continue;
    projectDirs.add(kind.projectDir);
    if (root.signal.aborted) break;
    const scan = await scanFile(root, relativePath);
    if (scan === undefined) continue;

    if (kind.kind === 'subagent') {
      const metaPath = relativePath.replace(/\.jsonl$/, '.meta.json');
      const meta = await readJsonObject(root, metaPath);
      if (meta) context.agentMeta[relativePath] = spawnInfoFromMeta(meta);
      const sessionId = scan.sessionId ?? kind.sessionIdFromPath;
      if (sessionId === undefined) continue;
      const agentId = scan.agentId ?? kind.agentId;
      if (helperAgentLabel(agentId) !== undefined || isWarmupPrompt(scan.firstPrompt)) increment(context.helpersBySession, sessionId);
      else push(context.subagentsBySession, sessionId, `${sessionId}:${agentId}`);
    } else {
      const sessionId = mainSessionId(kind.stem, scan.sessionId);
      for (const root of scan.sidechainRoots) {
        if (isWarmupPrompt(root.prompt)) increment(context.helpersBySession, sessionId);
        else push(context.subagentsBySession, sessionId, `${sessionId}:${inFileSidechainAgentId(root.uuid, root.agentId)}`);
      }
      for (const spawn of scan.spawns) {
        if (spawn.prompt !== undefined) context.spawnByPrompt[promptKey(sessionId, spawn.prompt)] = spawn.info;
      }
      for (const [agentId, toolUseId] of scan.agentResults) {
        const fromCall = scan.spawns.find((spawn) => spawn.info.toolUseId === toolUseId)?.info;
        context.spawnByAgent[`${sessionId}:${agentId}`] = { ...fromCall, toolUseId };
      }
    }

    const sessionId =
      kind.kind === 'session' ? mainSessionId(kind.stem, scan.sessionId) : (scan.sessionId ?? kind.sessionIdFromPath ?? kind.agentId);
    for (const response of scan.responses) {
      const key = ownerKey(kind.projectDir, response.id);
      const candidate: ResponseCandidate = { file: relativePath, sessionId, time: response.time, hasRequestId: response.hasRequestId };
      const known = responses.get(key);
      if (known === undefined || earlier(candidate, known)) responses.set(key, candidate);
    }
    for (const [leaf, summary] of scan.summaries) context.summaryByLeaf[ownerKey(kind.projectDir, leaf)] = summary;
    for (const line of scan.uuids) {
      const key = ownerKey(kind.projectDir, line.uuid);
      const known = context.uuidOwner[key];
      if (known === undefined || line.time < known.time || (line.time === known.time && relativePath < known.file)) {
        context.uuidOwner[key] = { file: relativePath, sessionId, time: line.time };
      }
    }
  }
  for (const [key, owner] of responses) context.responseOwner[key] = { file: owner.file, sessionId: owner.sessionId };
  for (const dir of [...projectDirs].sort()) await readSessionIndex(root, dir, context);
  for (const list of Object.values(context.subagentsBySession)) list.sort();
  return context;
}

interface FileScan {
  sessionId: string | undefined;
  agentId: string | undefined;
  /** First prompt of the (first) non-sidechain or subagent chain. */
  firstPrompt: string | undefined;
  sidechainRoots: { uuid: string; agentId: string | undefined; prompt: string | undefined }[];
  spawns: { prompt: string | undefined; info: SpawnInfo }[];
  /** `agentId` named by a tool result, with the tool call it answers. */
  agentResults: [string, string][];
  responses: { id: string; time: number; hasRequestId: boolean }[];
  uuids: { uuid: string; time: number }[];
  /** `summary` records: leaf uuid and title. */
  summaries: [string, string][];
}

async function scanFile(root: RootInfo, relativePath: string): Promise<FileScan | undefined> {
  const scan: FileScan = {
    sessionId: undefined,
    agentId: undefined,
    firstPrompt: undefined,
    sidechainRoots: [],
    spawns: [],
    agentResults: [],
    responses: [],
    uuids: [],
    summaries: [],
  };
  const seenResponses = new Set<string>();
  try {
    // Bad lines are reported once, when the file itself is parsed; the scan stays quiet.
    for await (const { value } of readJsonlRecords({ path: path.join(root.root, relativePath), signal: root.signal, warn: () => {} })) {
      scanRecord(value, scan, seenResponses);
    }
  } catch (error) {
    root.warn(`could not scan the file for the parse context: ${(error as Error).message}`, relativePath);
    return undefined;
  }
  return scan;
}

function scanRecord(record: RawRecord, scan: FileScan, seenResponses: Set<string>): void {
  scan.sessionId ??= nonEmptyString(record, 'sessionId');
  scan.agentId ??= nonEmptyString(record, 'agentId');
  if (record.type === 'summary' && typeof record.leafUuid === 'string' && typeof record.summary === 'string') {
    scan.summaries.push([record.leafUuid, record.summary]);
  }
  if (!isTreeRecord(record)) return;
  const time = toEpochMs(record.timestamp) ?? Number.POSITIVE_INFINITY;
  scan.uuids.push({ uuid: record.uuid, time });
  const message = messageOf(record);
  if (record.type === 'user' && message) {
    const prompt = promptText(message.content);
    const isRoot = nonEmptyString(record, 'parentUuid') === undefined;
    if (record.isSidechain === true && isRoot && scan.sessionId !== undefined) {
      scan.sidechainRoots.push({ uuid: record.uuid, agentId: nonEmptyString(record, 'agentId'), prompt });
    }
    if (scan.firstPrompt === undefined && prompt !== undefined) scan.firstPrompt = prompt;
    const result = isObject(record.toolUseResult) ? record.toolUseResult : undefined;
    const agentId = result ? nonEmptyString(result, 'agentId') : undefined;
    if (agentId !== undefined) {
      for (const block of contentBlocks(message.content)) {
        if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') scan.agentResults.push([agentId, block.tool_use_id]);
      }
    }
  }
  if (record.type === 'assistant' && message) {
    const id = assistantMessageId(record);
    if (id !== undefined && !seenResponses.has(id)) {
      seenResponses.add(id);
      scan.responses.push({ id, time, hasRequestId: nonEmptyString(record, 'requestId') !== undefined });
    }
    if (record.isSidechain === true) return;
    for (const block of contentBlocks(message.content)) {
      if (block.type !== 'tool_use' || typeof block.name !== 'string' || !SUBAGENT_TOOL_NAMES.has(block.name)) continue;
      const input = isObject(block.input) ? block.input : {};
      const info: SpawnInfo = {};
      if (typeof block.id === 'string') info.toolUseId = block.id;
      if (typeof input.subagent_type === 'string') info.agentType = input.subagent_type;
      if (typeof input.description === 'string') info.description = input.description;
      scan.spawns.push({ prompt: typeof input.prompt === 'string' ? input.prompt : undefined, info });
    }
  }
}

/** The typed text of a user message (string content or its text blocks), ignoring tool results. */
export function promptText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  const texts = contentBlocks(content)
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text as string);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

function spawnInfoFromMeta(meta: Record<string, unknown>): SpawnInfo {
  const info: SpawnInfo = {};
  if (typeof meta.toolUseId === 'string') info.toolUseId = meta.toolUseId;
  if (typeof meta.agentType === 'string') info.agentType = meta.agentType;
  if (typeof meta.description === 'string') info.description = meta.description;
  return info;
}

async function readJsonObject(root: RootInfo, relativePath: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(root.root, relativePath), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') root.warn(`could not read: ${(error as Error).message}`, relativePath);
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return value;
    root.warn('expected a JSON object; the file was ignored', relativePath);
  } catch (error) {
    root.warn(`expected JSON, found text that is not JSON (${(error as Error).message}); the file was ignored`, relativePath);
  }
  return undefined;
}

async function readSessionIndex(root: RootInfo, projectDir: string, context: ClaudeCodeContext): Promise<void> {
  const relativePath = projectDir ? `${projectDir}/sessions-index.json` : 'sessions-index.json';
  const index = await readJsonObject(root, relativePath);
  if (!index) return;
  if (!Array.isArray(index.entries)) {
    root.warn('expected an "entries" list; the index was ignored', relativePath);
    return;
  }
  for (const entry of index.entries) {
    if (!isObject(entry) || typeof entry.sessionId !== 'string') continue;
    const facts: SessionIndexEntry = {};
    for (const key of ['summary', 'firstPrompt', 'projectPath', 'customTitle'] as const) {
      const value = entry[key];
      if (typeof value === 'string' && value.length > 0) facts[key] = value;
    }
    context.sessionIndex[entry.sessionId] = facts;
  }
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

function push(lists: Record<string, string[]>, key: string, value: string): void {
  const list = lists[key];
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else lists[key] = [value];
}
