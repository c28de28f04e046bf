import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type RootInfo, toEpochMs } from '@agent-rollout/core/format';
import { type LineFields, scanLineFields } from './line-scan.js';
import { classifyPath, helperAgentLabel } from './paths.js';
import { visitRawLines } from './raw-lines.js';
import {
  assistantMessageId,
  contentBlocks,
  isObject,
  isTreeRecord,
  messageOf,
  nonEmptyString,
  type RawRecord,
  SUBAGENT_TOOL_NAMES,
  TREE_RECORD_TYPES,
  type TreeRecord,
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
  /**
   * Session files that were not scanned, by relative path: each is the only file of its
   * project, so no other file needs its ids and it needs none of theirs. What the context
   * would hold from its own lines, the links of its in-file sidechains, its parse reads
   * itself (`ownSidechainLinks` in context.ts).
   */
  notScanned: Record<string, true>;
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
    notScanned: {},
  };
}

export function promptKey(sessionId: string, prompt: string): string {
  return `${sessionId}\u0000${prompt.trim()}`;
}

export function ownerKey(projectDir: string, id: string): string {
  return `${projectDir}\u0000${id}`;
}

/** A file of the read, as an owner of lines: its path and session. */
interface FileRef {
  file: string;
  sessionId: string;
}

/** What is known so far about one uuid or response id in a project. */
interface IdEntry {
  /** Index (in the read's file list) of the best claim to be the original, or -1 when none. */
  owner: number;
  /** The owner's `timestamp` as written; read into `time` only when two claims are compared. */
  timestamp: unknown;
  time: number | undefined;
  hasRequestId: boolean;
  /** The last file that held the id, and whether another file held it before. */
  lastFile: number;
  shared: boolean;
}

/**
 * The ids of one project folder, kept until its last file is scanned. Only ids held by two
 * files or more go into the context: a file never counts its own lines as copies.
 */
interface ProjectIds {
  uuids: Map<string, IdEntry>;
  responses: Map<string, IdEntry>;
  /** The project's files, and those not read yet. */
  files: number;
  filesLeft: number;
}

/** A line's time for choosing the original: a line without a readable time comes last. */
function claimTime(timestamp: unknown): number {
  return toEpochMs(timestamp) ?? Number.POSITIVE_INFINITY;
}

function ownerTime(entry: IdEntry): number {
  entry.time ??= claimTime(entry.timestamp);
  return entry.time;
}

function setOwner(entry: IdEntry, fileIndex: number, timestamp: unknown): void {
  entry.owner = fileIndex;
  entry.timestamp = timestamp;
  entry.time = undefined;
}

/** True when a claim at `timestamp` from `file` beats the entry's owner (earlier, then by path). */
function betterUuidClaim(timestamp: unknown, file: string, entry: IdEntry, files: readonly FileRef[]): boolean {
  if (entry.owner === -1) return true;
  const time = claimTime(timestamp);
  const known = ownerTime(entry);
  return time < known || (time === known && file < (files[entry.owner] as FileRef).file);
}

/** The same for a response: earlier, then with a request id, then by path. */
function betterResponseClaim(timestamp: unknown, hasRequestId: boolean, file: string, entry: IdEntry, files: readonly FileRef[]): boolean {
  if (entry.owner === -1) return true;
  const time = claimTime(timestamp);
  const known = ownerTime(entry);
  if (time !== known) return time < known;
  if (hasRequestId !== entry.hasRequestId) return hasRequestId;
  return file < (files[entry.owner] as FileRef).file;
}

function noteUse(ids: Map<string, IdEntry>, id: string, fileIndex: number): IdEntry {
  let entry = ids.get(id);
  if (entry === undefined) {
    entry = { owner: -1, timestamp: undefined, time: undefined, hasRequestId: false, lastFile: fileIndex, shared: false };
    ids.set(id, entry);
  } else if (entry.lastFile !== fileIndex) {
    entry.shared = true;
    entry.lastFile = fileIndex;
  }
  return entry;
}

/** Adds one file's ids to its project; only a file that `claims` can own them. */
function addFileIds(project: ProjectIds, scan: FileScan, fileIndex: number, files: readonly FileRef[], claims: boolean): void {
  const file = (files[fileIndex] as FileRef).file;
  for (const response of scan.responses) {
    const entry = noteUse(project.responses, response.id, fileIndex);
    if (claims && betterResponseClaim(response.timestamp, response.hasRequestId, file, entry, files)) {
      setOwner(entry, fileIndex, response.timestamp);
      entry.hasRequestId = response.hasRequestId;
    }
  }
  for (const line of scan.uuids) {
    const entry = noteUse(project.uuids, line.uuid, fileIndex);
    if (claims && line.inTree && betterUuidClaim(line.timestamp, file, entry, files)) setOwner(entry, fileIndex, line.timestamp);
  }
}

/** Moves a finished project's shared ids into the context. */
function flushProject(projectDir: string, project: ProjectIds, files: readonly FileRef[], context: ClaudeCodeContext): void {
  for (const [id, entry] of project.responses) {
    if (!entry.shared || entry.owner === -1) continue;
    const { file, sessionId } = files[entry.owner] as FileRef;
    context.responseOwner[ownerKey(projectDir, id)] = { file, sessionId };
  }
  for (const [uuid, entry] of project.uuids) {
    if (!entry.shared || entry.owner === -1) continue;
    const { file, sessionId } = files[entry.owner] as FileRef;
    context.uuidOwner[ownerKey(projectDir, uuid)] = { file, sessionId, time: ownerTime(entry) };
  }
  project.uuids.clear();
  project.responses.clear();
}

/**
 * Builds the context from every matched file under the root. Lines are read with a cheap
 * scan of their top-level fields; only the few lines that carry a prompt or a subagent call
 * are parsed in full. Ids are indexed per project folder and dropped once its last file is
 * read, so the index does not grow with the corpus, only with the copies it finds.
 */
export async function buildClaudeCodeContext(root: RootInfo): Promise<ClaudeCodeContext> {
  const context = emptyContext();
  const projects = new Map<string, ProjectIds>();
  for (const relativePath of root.files) {
    const kind = classifyPath(relativePath);
    if (kind.kind === 'other') continue;
    const project = projects.get(kind.projectDir);
    if (project) {
      project.files += 1;
      project.filesLeft += 1;
    } else projects.set(kind.projectDir, { uuids: new Map(), responses: new Map(), files: 1, filesLeft: 1 });
  }
  const files: FileRef[] = [];

  for (const relativePath of root.files) {
    const kind = classifyPath(relativePath);
    if (kind.kind === 'other') continue;
    if (root.signal.aborted) break;
    const project = projects.get(kind.projectDir) as ProjectIds;
    project.filesLeft -= 1;
    if (project.files === 1 && kind.kind === 'session') {
      // Copies, subagents and other sessions' titles live in other files of the project;
      // without any, the scan would find nothing its own parse does not read itself.
      context.notScanned[relativePath] = true;
      continue;
    }
    const scan = await scanFile(root, relativePath);
    if (scan !== undefined) {
      if (kind.kind === 'subagent') {
        const metaPath = relativePath.replace(/\.jsonl$/, '.meta.json');
        const meta = await readJsonObject(root, metaPath);
        if (meta) context.agentMeta[relativePath] = spawnInfoFromMeta(meta);
        const sessionId = scan.sessionId ?? kind.sessionIdFromPath;
        if (sessionId !== undefined) {
          const agentId = scan.agentId ?? kind.agentId;
          if (helperAgentLabel(agentId) !== undefined || isWarmupPrompt(scan.firstPrompt)) increment(context.helpersBySession, sessionId);
          else push(context.subagentsBySession, sessionId, `${sessionId}:${agentId}`);
        }
      } else {
        const sessionId = mainSessionId(kind.stem, scan.sessionId);
        for (const root of scan.sidechainRoots) addSidechainLink(context, sessionId, root);
        for (const spawn of scan.spawns) {
          if (spawn.prompt !== undefined) context.spawnByPrompt[promptKey(sessionId, spawn.prompt)] = spawn.info;
        }
        for (const [agentId, toolUseId] of scan.agentResults) {
          const fromCall = scan.spawns.find((spawn) => spawn.info.toolUseId === toolUseId)?.info;
          context.spawnByAgent[`${sessionId}:${agentId}`] = { ...fromCall, toolUseId };
        }
      }
      // A subagent file that names no session claims none of its lines (it still looks them up).
      const claims = kind.kind === 'session' || (scan.sessionId ?? kind.sessionIdFromPath) !== undefined;
      const sessionId =
        kind.kind === 'session' ? mainSessionId(kind.stem, scan.sessionId) : (scan.sessionId ?? kind.sessionIdFromPath ?? kind.agentId);
      files.push({ file: relativePath, sessionId });
      addFileIds(project, scan, files.length - 1, files, claims);
      if (claims) for (const [leaf, summary] of scan.summaries) context.summaryByLeaf[ownerKey(kind.projectDir, leaf)] = summary;
    }
    if (project.filesLeft === 0) flushProject(kind.projectDir, project, files, context);
  }
  for (const [projectDir, project] of projects) flushProject(projectDir, project, files, context);
  for (const dir of [...projects.keys()].sort()) await readSessionIndex(root, dir, context);
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
  /** Responses (first line of each `message.id`) of the conversation lines. */
  responses: { id: string; timestamp: unknown; hasRequestId: boolean }[];
  /** Every line's uuid; only conversation lines (`inTree`) can be the original of a copy. */
  uuids: { uuid: string; timestamp: unknown; inTree: boolean }[];
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
    // Bad lines are reported once, when the file itself is parsed; the scan skips them quietly.
    await visitRawLines(path.join(root.root, relativePath), root.signal, (bytes, start, end, terminated) => {
      const fields = terminated ? scanLineFields(bytes, start, end) : undefined;
      if (fields !== undefined && !needsWholeRecord(fields, scan)) {
        scanFields(fields, scan, seenResponses);
        return;
      }
      const record = parseObject(bytes.toString('utf8', start, end));
      if (record !== undefined) scanRecord(record, scan, seenResponses);
    });
  } catch (error) {
    root.warn(`could not scan the file for the parse context: ${(error as Error).message}`, relativePath);
    return undefined;
  }
  return scan;
}

/** The line as a JSON object, or undefined when it is blank, not JSON or not an object (as the reader skips it). */
function parseObject(text: string): RawRecord | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when a line holds more than its scanned fields tell: a summary title, a user prompt
 * (the first one, or the start of an in-file subagent), a tool result that names a subagent,
 * or a call that may start one.
 */
function needsWholeRecord(fields: LineFields, scan: FileScan): boolean {
  if (fields.type === 'summary') return true;
  if (!fields.hasMessage || fields.uuid === undefined || fields.uuid.length === 0) return false;
  if (fields.type === 'user') {
    return scan.firstPrompt === undefined || fields.toolResultNamesAgent || (fields.isSidechain && !fields.parentUuid);
  }
  if (fields.type === 'assistant') return !fields.isSidechain && fields.messageNamesSubagentTool;
  return false;
}

/** {@link scanRecord} for a line read by {@link scanLineFields} that needs nothing more. */
function scanFields(fields: LineFields, scan: FileScan, seenResponses: Set<string>): void {
  if (fields.sessionId && scan.sessionId === undefined) scan.sessionId = fields.sessionId;
  if (fields.agentId && scan.agentId === undefined) scan.agentId = fields.agentId;
  const uuid = fields.uuid;
  if (uuid === undefined || uuid.length === 0) return;
  const inTree = fields.type !== undefined && TREE_RECORD_TYPES.has(fields.type);
  // A time is read only if another file holds the same id.
  const timestamp = fields.timestamp;
  scan.uuids.push({ uuid, timestamp, inTree });
  if (!inTree || fields.type !== 'assistant' || !fields.hasMessage) return;
  const id = fields.messageId;
  if (id !== undefined && id.length > 0 && !seenResponses.has(id)) {
    seenResponses.add(id);
    scan.responses.push({ id, timestamp, hasRequestId: fields.requestId !== undefined && fields.requestId.length > 0 });
  }
}

function scanRecord(record: RawRecord, scan: FileScan, seenResponses: Set<string>): void {
  scan.sessionId ??= nonEmptyString(record, 'sessionId');
  scan.agentId ??= nonEmptyString(record, 'agentId');
  if (record.type === 'summary' && typeof record.leafUuid === 'string' && typeof record.summary === 'string') {
    scan.summaries.push([record.leafUuid, record.summary]);
  }
  if (!isTreeRecord(record)) {
    // Other lines with a uuid are looked up too (to count copies), but never own one.
    const uuid = nonEmptyString(record, 'uuid');
    if (uuid !== undefined) scan.uuids.push({ uuid, timestamp: record.timestamp, inTree: false });
    return;
  }
  scan.uuids.push({ uuid: record.uuid, timestamp: record.timestamp, inTree: true });
  const message = messageOf(record);
  if (record.type === 'user' && message) {
    const root = scan.sessionId === undefined ? undefined : sidechainRoot(record);
    if (root !== undefined) scan.sidechainRoots.push(root);
    const prompt = root === undefined ? promptText(message.content) : root.prompt;
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
      scan.responses.push({ id, timestamp: record.timestamp, hasRequestId: nonEmptyString(record, 'requestId') !== undefined });
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

/** The first line of an in-file sidechain (CLI 1.x/2.0), as the context links it to its session. */
interface SidechainRoot {
  uuid: string;
  agentId: string | undefined;
  prompt: string | undefined;
}

/** The record as the first line of an in-file sidechain: a user message marked `isSidechain`, with no parent. */
function sidechainRoot(record: TreeRecord): SidechainRoot | undefined {
  // The flags first: the parse asks this of every line of a session.
  if (record.type !== 'user' || record.isSidechain !== true || nonEmptyString(record, 'parentUuid') !== undefined) return undefined;
  const message = messageOf(record);
  if (!message) return undefined;
  return { uuid: record.uuid, agentId: nonEmptyString(record, 'agentId'), prompt: promptText(message.content) };
}

type SidechainLinks = Pick<ClaudeCodeContext, 'subagentsBySession' | 'helpersBySession'>;

/** Counts an in-file sidechain among its session's subagents, or among its skipped helpers (warm-up). */
function addSidechainLink(links: SidechainLinks, sessionId: string, root: SidechainRoot): void {
  if (isWarmupPrompt(root.prompt)) increment(links.helpersBySession, sessionId);
  else push(links.subagentsBySession, sessionId, `${sessionId}:${inFileSidechainAgentId(root.uuid, root.agentId)}`);
}

/**
 * The links of a session file's in-file sidechains, read from its records by the rule of the
 * scan: a root counts once a line before it, or the root itself, named a session. For a file
 * the context did not scan ({@link ClaudeCodeContext.notScanned}), so that its row is the same
 * as if it had been.
 */
export function ownSidechainLinks(records: readonly RawRecord[], sessionId: string): SidechainLinks {
  const links: SidechainLinks = { subagentsBySession: {}, helpersBySession: {} };
  let sessionNamed = false;
  for (const record of records) {
    sessionNamed ||= nonEmptyString(record, 'sessionId') !== undefined;
    if (!sessionNamed || !isTreeRecord(record)) continue;
    const root = sidechainRoot(record);
    if (root !== undefined) addSidechainLink(links, sessionId, root);
  }
  return links;
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
    // Small files: a plain read costs less than a round trip through the thread pool.
    text = readFileSync(path.join(root.root, relativePath), 'utf8');
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
