import {
  AgentRolloutParseError,
  describeError,
  FormatHandler,
  isAgentRolloutError,
  type ParseFileInput,
  type ParseFileResult,
  type RootInfo,
  readJsonlRecords,
} from '@agent-rollout/core/format';
import { readJsonDocumentRecords } from './json-document.js';
import { parseRolloutRecords } from './rollout-parser.js';
import { toRolloutDraft } from './rollout-row.js';
import { ThreadIndex, threadIdFromFileName } from './thread-index.js';

/** Per-read state: the index that links sub-agent threads to their parent's spawn call. */
export interface CodexParseContext {
  threads: ThreadIndex;
}

/** Files Codex keeps beside its rollouts that are not sessions (never warned about). */
const NOT_SESSION_NAMES: ReadonlySet<string> = new Set(['history.jsonl', 'session_index.jsonl']);

/**
 * Members no row uses, left out by the JSONL reader before a line is even decoded: a command's
 * `aggregated_output` in an `item_completed` event repeats the output that the
 * `function_call_output` item already holds.
 */
const UNREAD_MEMBERS: readonly string[] = ['payload.item.aggregated_output'];

function isInLogFolder(relativePath: string): boolean {
  return relativePath.startsWith('log/') || relativePath.includes('/log/');
}

function baseName(relativePath: string): string {
  const slash = relativePath.lastIndexOf('/');
  return slash === -1 ? relativePath : relativePath.slice(slash + 1);
}

/**
 * Codex CLI rollouts (`~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl`, also
 * `~/.codex/archived_sessions`): one row per thread file, every generation from the bare
 * 0.29-era records to the 0.169 envelope with `ordinal`s.
 */
export class CodexFormat extends FormatHandler<CodexParseContext> {
  readonly id = 'codex';
  readonly displayName = 'Codex';
  readonly defaults = { path: '~/.codex/sessions', filePattern: '*.jsonl' };

  override async buildParseContext(root: RootInfo): Promise<CodexParseContext> {
    return {
      threads: new ThreadIndex(
        root.root,
        root.files.filter((file) => this.isHandledFile(file)),
      ),
    };
  }

  /** `rollout-*.jsonl`, and the `rollout-*.json` documents of the first TypeScript CLI. */
  isHandledFile(relativePath: string): boolean {
    const name = baseName(relativePath);
    return name.startsWith('rollout-') && (name.endsWith('.jsonl') || name.endsWith('.json'));
  }

  override shouldWarnUnhandledFile(relativePath: string): boolean {
    return !NOT_SESSION_NAMES.has(baseName(relativePath)) && !isInLogFolder(relativePath);
  }

  async parseFile(input: ParseFileInput<CodexParseContext>): Promise<ParseFileResult> {
    const records = input.path.endsWith('.json')
      ? readJsonDocumentRecords(input.path)
      : readJsonlRecords(input, { skipMembers: UNREAD_MEMBERS });
    const parsed = await parseRolloutRecords(records, {
      onOrphanOutput(callId, line) {
        const problem = `expected a tool output to answer an earlier call, but no call has id ${callId}; the output was left out`;
        if (input.strict) throw new AgentRolloutParseError(input.path, line, problem);
        input.warn(problem, line);
      },
    });
    if (parsed.records === 0) return { rows: [], skipReason: 'the file is empty' };
    if (parsed.generation === undefined) {
      throw new AgentRolloutParseError(
        input.path,
        1,
        'expected Codex rollout lines (a session record, `{timestamp, type, payload}` envelopes, or response items), found none',
      );
    }
    if (parsed.builder.messages.length === 0) {
      return { rows: [], skipReason: 'the rollout holds session metadata but no conversation' };
    }
    let parentSpawnCallId: string | undefined;
    const subagent = parsed.session.subagent;
    if (subagent?.parentThreadId !== undefined && parsed.session.id !== undefined) {
      try {
        parentSpawnCallId = await input.context?.threads.spawnCallId(subagent.parentThreadId, parsed.session.id, input.signal);
      } catch (error) {
        if (isAgentRolloutError(error) && error.code === 'aborted') throw error;
        // The sub-agent's own row does not depend on its parent's file: only the link is lost.
        input.warn(`the parent thread's rollout could not be read to find its spawn call (${describeError(error)})`);
      }
    }
    const draft = toRolloutDraft(parsed, {
      sourceKind: this.id,
      sourcePath: input.path,
      fallbackId: threadIdFromFileName(input.relativePath) ?? input.relativePath,
      parentSpawnCallId,
    });
    return { rows: [draft] };
  }
}
