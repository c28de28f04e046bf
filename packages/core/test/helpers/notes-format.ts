import {
  type ChatMessage,
  FormatHandler,
  type ParseFileInput,
  type ParseFileResult,
  readJsonlRecords,
  TimeRange,
} from '@agent-rollout/core';

/**
 * A tiny format for core's own tests: each `*.notes.jsonl` file is one session whose lines are
 * `{ "at": "<timestamp>", "role": "user"|"assistant", "text": "..." }`, optionally with a
 * `"call": {"id","name","args"}` on assistant lines and `"result": {"id","text"}` lines.
 */
export class NotesFormat extends FormatHandler {
  readonly id: string = 'notes';
  readonly displayName = 'Notes';
  readonly defaults = { filePattern: '*.jsonl' };

  isHandledFile(relativePath: string): boolean {
    return relativePath.endsWith('.notes.jsonl');
  }

  override shouldWarnUnhandledFile(relativePath: string): boolean {
    return !relativePath.endsWith('.ignore.jsonl');
  }

  async parseFile(input: ParseFileInput): Promise<ParseFileResult> {
    const messages: ChatMessage[] = [];
    const range = new TimeRange();
    for await (const { value } of readJsonlRecords(input)) {
      range.add(value.at);
      const result = value.result as { id: string; text: string } | undefined;
      if (result) {
        messages.push({ role: 'tool', content: [{ type: 'text', text: result.text }], tool_call_id: result.id });
        continue;
      }
      const role = value.role === 'assistant' ? 'assistant' : 'user';
      const message: ChatMessage = { role, content: [{ type: 'text', text: String(value.text ?? '') }] };
      const call = value.call as { id: string; name: string; args: unknown } | undefined;
      if (call)
        message.tool_calls = [{ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } }];
      messages.push(message);
    }
    if (messages.length === 0) return { rows: [], skipReason: 'no notes in the file' };
    const id = input.relativePath.replace(/\.notes\.jsonl$/, '');
    return {
      rows: [
        {
          trace_id: id,
          source_kind: this.id,
          source_path: input.path,
          root_session_id: id,
          agent_id: null,
          is_sidechain: false,
          cwd: null,
          project_path: null,
          git_branch: null,
          started_at: range.startedAt,
          ended_at: range.endedAt,
          messages,
          source_meta: {},
        },
      ],
    };
  }
}
