import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyUserText } from '../src/user-lines.js';
import { COMPOSED, parseOne, textOf } from './helpers.js';

describe('rule 4: what the CLI injects is not a human turn', () => {
  it('maps caveats, command output and reminders to system messages, keeps commands and interruptions recognizable', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'user-lines.jsonl'));
    const messages = rows[0]?.messages ?? [];
    expect(messages.map((m) => [m.role, m.metadata?.kind ?? null])).toEqual([
      ['system', 'meta'],
      ['user', 'slash_command'],
      ['system', 'command_output'],
      ['user', null],
      ['system', 'system_reminder'],
      ['assistant', null],
      ['tool', null],
      ['user', 'interruption'],
    ]);
    expect(textOf(messages[3] ?? { content: [] })).toBe('Rename foo to bar everywhere');
    expect(messages[6]?.is_error).toBe(true);
    expect(rows[0]?.source_meta.first_prompt).toBe('Rename foo to bar everywhere');
  });

  it('never reads an api-request-blob as a prompt (no duplicated user turn)', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'user-lines.jsonl'));
    const prompts = rows[0]?.messages.filter((m) => m.role === 'user' && textOf(m) === 'Rename foo to bar everywhere');
    expect(prompts).toHaveLength(1);
    expect(rows[0]?.source_meta.record_types).toMatchObject({ 'api-request-blob': 1 });
  });

  it('does not take a summary of another session as this session title', async () => {
    const { rows } = await parseOne(path.join(COMPOSED, 'user-lines.jsonl'));
    expect(rows[0]?.source_meta.summary).toBeUndefined();
  });

  it('classifies texts in the order of the spec table', () => {
    expect(classifyUserText('[Request interrupted by user]')).toBe('interruption');
    expect(classifyUserText('<bash-input>ls</bash-input>')).toBe('shell_command');
    expect(classifyUserText('<bash-stdout>a</bash-stdout><bash-stderr></bash-stderr>')).toBe('shell_output');
    expect(classifyUserText('<task-notification>done</task-notification>')).toBe('task_notification');
    expect(classifyUserText('Please fix <system-reminder>x</system-reminder> this')).toBe('prompt');
  });
});
