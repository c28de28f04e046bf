import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toOpenAIChatExample } from '../../src/sinks/openai-chat.js';
import { createOpenAIChatSink } from '../../src/sinks/openai-chat-sink.js';
import { rowWith, text, toolSession } from './rows.js';

const call = (id: string, name = 'Bash', args = '{}') => ({ id, type: 'function' as const, function: { name, arguments: args } });

describe('toOpenAIChatExample', () => {
  it('writes string content, tool calls with string arguments and drops reasoning and metadata', () => {
    const result = toOpenAIChatExample(toolSession('s1'));
    expect(result).toEqual({
      ok: true,
      example: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Run the tests.' },
          { role: 'assistant', content: 'Running them.', tool_calls: [call('call_1', 'Bash', '{"command":"pytest"}')] },
          { role: 'tool', tool_call_id: 'call_1', content: '3 passed' },
          { role: 'assistant', content: 'All 3 tests pass.' },
        ],
      },
    });
  });

  it('keeps reasoning as reasoning_content when asked', () => {
    const result = toOpenAIChatExample(toolSession('s1'), { keepReasoning: true });
    expect(result.ok && result.example.messages[2]).toMatchObject({
      role: 'assistant',
      reasoning_content: 'The user wants the tests run.',
    });
  });

  it('moves each tool answer right after its call, in call order, and drops turns that held only reasoning', () => {
    const row = rowWith('s', [
      { role: 'user', content: text('go') },
      { role: 'assistant', content: [], reasoning_content: 'thinking only' },
      { role: 'assistant', content: [], tool_calls: [call('a'), call('b')] },
      { role: 'user', content: text('[interrupting note]') },
      { role: 'tool', content: text('B'), tool_call_id: 'b' },
      { role: 'tool', content: text('A'), tool_call_id: 'a' },
      { role: 'assistant', content: text('done') },
    ]);
    const result = toOpenAIChatExample(row);
    expect(result.ok && result.example.messages).toEqual([
      { role: 'user', content: 'go' },
      { role: 'assistant', content: null, tool_calls: [call('a'), call('b')] },
      { role: 'tool', tool_call_id: 'a', content: 'A' },
      { role: 'tool', tool_call_id: 'b', content: 'B' },
      { role: 'user', content: '[interrupting note]' },
      { role: 'assistant', content: 'done' },
    ]);
  });

  it('keeps user images as content parts', () => {
    const row = rowWith('s', [
      { role: 'user', content: [...text('what is this?'), { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      { role: 'assistant', content: text('a square') },
    ]);
    const result = toOpenAIChatExample(row);
    expect(result.ok && result.example.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'what is this?' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ],
    });
  });

  it.each([
    [
      'a tool call has no result',
      [
        { role: 'user' as const, content: text('go') },
        { role: 'assistant' as const, content: [], tool_calls: [call('a')] },
      ],
    ],
    [
      'a tool message answers no tool call made before it',
      [
        { role: 'user' as const, content: text('go') },
        { role: 'tool' as const, content: text('?'), tool_call_id: 'zzz' },
        { role: 'assistant' as const, content: text('ok') },
      ],
    ],
    ['no assistant message to learn from', [{ role: 'user' as const, content: text('hello?') }]],
    [
      'tool name "collab.spawn" is not a valid OpenAI function name (letters, digits, _ and -, at most 64)',
      [
        { role: 'user' as const, content: text('go') },
        { role: 'assistant' as const, content: [], tool_calls: [call('a', 'collab.spawn')] },
        { role: 'tool' as const, content: text('ok'), tool_call_id: 'a' },
      ],
    ],
    [
      'a tool message holds an image (OpenAI accepts images in user messages only)',
      [
        { role: 'user' as const, content: text('go') },
        { role: 'assistant' as const, content: [], tool_calls: [call('a')] },
        { role: 'tool' as const, content: [{ type: 'image_url' as const, image_url: { url: 'data:,' } }], tool_call_id: 'a' },
      ],
    ],
    [
      'a user message holds a "document" block, which OpenAI chat content cannot hold',
      [
        { role: 'user' as const, content: [{ type: 'document', source: {} }] },
        { role: 'assistant' as const, content: text('ok') },
      ],
    ],
  ])('skips a row when %s', (reason, messages) => {
    expect(toOpenAIChatExample(rowWith('s', messages))).toEqual({ ok: false, reason });
  });
});

describe('OpenAI-chat sink', () => {
  it('writes one example per line and counts the rows it left out by reason', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sink-openai-'));
    try {
      const target = path.join(dir, 'sft.jsonl');
      const sink = createOpenAIChatSink({ path: target });
      await sink.open();
      await sink.write(toolSession('s1'));
      await sink.write(rowWith('s2', [{ role: 'user', content: text('alone') }]));
      await sink.write(rowWith('s3', [{ role: 'user', content: text('also alone') }]));
      await sink.write(toolSession('s4'));
      const summary = await sink.close();
      expect(summary).toMatchObject({
        format: 'openai-chat',
        rowsIn: 4,
        rowsWritten: 2,
        skipped: { 'no assistant message to learn from': 2 },
      });
      const lines = (await readFile(target, 'utf8')).trim().split('\n');
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        const example = JSON.parse(line) as { messages: { role: string }[] };
        expect(Object.keys(example)).toEqual(['messages']);
        expect(example.messages.some((m) => m.role === 'assistant')).toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
