import path from 'node:path';
import {
  type FormatDefaults,
  FormatHandler,
  type ParseFileInput,
  type ParseFileResult,
  type RolloutDraft,
  type RootInfo,
  readJsonlRecords,
} from '@agent-rollout/core/format';
import { buildRow } from './build-row.js';
import { buildClaudeCodeContext, type ClaudeCodeContext, ownSidechainLinks, promptKey, promptText } from './context.js';
import { classifyPath, isKnownBookkeeping } from './paths.js';
import { inlinePersistedOutputs } from './persisted-output.js';
import {
  isTreeRecord,
  isUserRecord,
  messageOf,
  nonEmptyString,
  type RawRecord,
  recordType,
  slimRecord,
  type TreeRecord,
  UNREAD_MEMBERS,
} from './records.js';
import { mainSessionId } from './session-id.js';
import { agentSkipReason, mergeSpawnInfo, spawnsByPrompt, splitInFileSidechains } from './subagents.js';

export interface ClaudeCodeFormatOptions {
  /**
   * Replace `<persisted-output>` previews of large tool results by the full text stored in
   * `<sessionId>/tool-results/`. Off by default: the files can be very large.
   */
  inlinePersistedOutputs?: boolean;
}

/** Reads Claude Code session transcripts (`~/.claude/projects/<project>/<sessionId>.jsonl` and subagent files). */
export class ClaudeCodeFormat extends FormatHandler<ClaudeCodeContext> {
  readonly id = 'claude_code';
  readonly displayName = 'Claude Code';
  readonly defaults: FormatDefaults = { path: '~/.claude/projects', filePattern: '*.jsonl' };
  readonly #options: ClaudeCodeFormatOptions;

  constructor(options: ClaudeCodeFormatOptions = {}) {
    super();
    this.#options = { ...options };
  }

  override async buildParseContext(root: RootInfo): Promise<ClaudeCodeContext> {
    return buildClaudeCodeContext(root);
  }

  /**
   * The project folder: copies made by resume and fork, subagents, summaries and the session
   * index never reach beyond it, so each project's context is built on its own.
   */
  override contextScope(relativePath: string): string {
    const kind = classifyPath(relativePath);
    return kind.kind === 'other' ? '' : kind.projectDir;
  }

  isHandledFile(relativePath: string): boolean {
    return classifyPath(relativePath).kind !== 'other';
  }

  /** Bookkeeping files (history.jsonl, tool-results/, todos/, ...) are known and not worth a warning. */
  override shouldWarnUnhandledFile(relativePath: string): boolean {
    return !isKnownBookkeeping(relativePath);
  }

  async parseFile(input: ParseFileInput<ClaudeCodeContext>): Promise<ParseFileResult> {
    const kind = classifyPath(input.relativePath);
    if (kind.kind === 'other') return { rows: [], skipReason: 'not a Claude Code transcript' };

    // Records are kept as parsed objects (the tree needs them all); the file is never one string.
    const records: RawRecord[] = [];
    for await (const { value } of readJsonlRecords(input, { skipMembers: UNREAD_MEMBERS })) records.push(slimRecord(value));
    if (records.length === 0) return { rows: [], skipReason: 'empty file (no JSON lines)' };
    const tree = records.filter(isTreeRecord);
    const context = input.context;

    const rows: RolloutDraft[] = [];
    if (kind.kind === 'subagent') {
      const sessionId = firstString(records, 'sessionId') ?? kind.sessionIdFromPath ?? kind.agentId;
      const agentId = firstString(records, 'agentId') ?? kind.agentId;
      const firstPrompt = firstUserPrompt(tree);
      const skip = agentSkipReason(agentId, firstPrompt);
      if (skip !== undefined) return { rows: [], skipReason: skip };
      const spawn = mergeSpawnInfo(
        context?.agentMeta[input.relativePath],
        context?.spawnByAgent[`${sessionId}:${agentId}`],
        firstPrompt === undefined ? undefined : context?.spawnByPrompt[promptKey(sessionId, firstPrompt)],
      );
      const row = buildRow({ ...this.#common(input, kind.projectDir, records), sessionId, agentId, tree, spawn });
      if (row) rows.push(row);
    } else {
      const sessionId = mainSessionId(kind.stem, firstString(records, 'sessionId'));
      const { main, sidechains } = splitInFileSidechains(tree);
      const localSpawns = spawnsByPrompt(sessionId, main);
      const sidechainUuids = new Set(sidechains.flatMap((chain) => chain.records.map((record) => record.uuid)));
      const mainRecords = records.filter((record) => !(isTreeRecord(record) && sidechainUuids.has(record.uuid)));
      // The links of the in-file sidechains come with the context, or from the file itself when
      // it was the only file of its project and was not scanned.
      const own = context?.notScanned[input.relativePath] ? ownSidechainLinks(records, sessionId) : undefined;
      const subagents = new Set([...(context?.subagentsBySession[sessionId] ?? []), ...(own?.subagentsBySession[sessionId] ?? [])]);
      let helpers = (context?.helpersBySession[sessionId] ?? 0) + (own?.helpersBySession[sessionId] ?? 0);
      const sideRows: RolloutDraft[] = [];
      for (const chain of sidechains) {
        if (agentSkipReason(chain.agentId, chain.prompt) !== undefined) {
          if (!context) helpers += 1; // the context already counted it
          continue;
        }
        const spawn = mergeSpawnInfo(chain.prompt === undefined ? undefined : localSpawns.get(promptKey(sessionId, chain.prompt)));
        const row = buildRow({
          ...this.#common(input, kind.projectDir, chain.records),
          sessionId,
          agentId: chain.agentId,
          tree: chain.records,
          spawn,
        });
        if (row) {
          sideRows.push(row);
          subagents.add(row.trace_id);
        }
      }
      const row = buildRow({
        ...this.#common(input, kind.projectDir, mainRecords),
        sessionId,
        agentId: null,
        tree: main,
        subagents: [...subagents].sort(),
        helperAgentsSkipped: helpers,
      });
      if (row) rows.push(row);
      rows.push(...sideRows);
    }

    if (this.#options.inlinePersistedOutputs) {
      for (const row of rows) {
        const sessionDir = path.join(path.dirname(input.path), row.root_session_id);
        await inlinePersistedOutputs(row.messages, sessionDir, (message) => input.warn(message));
      }
    }
    if (rows.length === 0) return { rows, skipReason: `no conversation lines (records: ${describeTypes(records)})` };
    return { rows };
  }

  #common(input: ParseFileInput<ClaudeCodeContext>, projectDir: string, records: readonly RawRecord[]) {
    return { path: input.path, relativePath: input.relativePath, projectDir, records, context: input.context };
  }
}

function firstString(records: readonly RawRecord[], key: string): string | undefined {
  for (const record of records) {
    const value = nonEmptyString(record, key);
    if (value !== undefined) return value;
  }
  return undefined;
}

function firstUserPrompt(tree: readonly TreeRecord[]): string | undefined {
  for (const record of tree) {
    if (isUserRecord(record)) {
      const text = promptText(messageOf(record)?.content);
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

function describeTypes(records: readonly RawRecord[]): string {
  const counts = new Map<string, number>();
  for (const record of records) counts.set(recordType(record), (counts.get(recordType(record)) ?? 0) + 1);
  return [...counts.entries()].map(([type, n]) => `${type} x${n}`).join(', ');
}
