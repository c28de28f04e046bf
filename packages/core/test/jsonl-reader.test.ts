import path from 'node:path';
import { isAgentRolloutParseError, type JsonlRecord, type JsonlRecordOptions, readJsonlRecords, readLines } from '@agent-rollout/core';
import { describe, expect, it } from 'vitest';
import { useTempFiles } from './helpers/temp-files.js';

const { write: fileWith } = useTempFiles('agent-rollout-jsonl-');

async function readAll(file: string, strict = false, options: JsonlRecordOptions = {}) {
  const warnings: { line: number | undefined; message: string }[] = [];
  const records: JsonlRecord[] = [];
  const input = { path: file, strict, warn: (message: string, line?: number) => warnings.push({ line, message }) };
  for await (const record of readJsonlRecords(input, options)) {
    records.push(record);
  }
  return { records, warnings };
}

describe('readJsonlRecords', () => {
  it('numbers lines as the file does, skipping blank ones', async () => {
    const file = await fileWith('blank.jsonl', '{"a":1}\n\n   \n{"a":2}\n');
    const { records, warnings } = await readAll(file);
    expect(records).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { a: 2 } },
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads a file with a BOM and CRLF line ends', async () => {
    const file = await fileWith('crlf.jsonl', Buffer.from('\uFEFF{"a":"x"}\r\n{"a":"y"}\r\n', 'utf8'));
    const { records } = await readAll(file);
    expect(records.map((r) => r.value)).toEqual([{ a: 'x' }, { a: 'y' }]);
  });

  it('cuts lines on \\n only: a lone \\r or U+2028 inside a line stays in it', async () => {
    const file = await fileWith('separators.jsonl', '{"a":"one\\rtwo","b":"x\u2028y"}\n');
    const { records } = await readAll(file);
    expect(records).toEqual([{ line: 1, value: { a: 'one\rtwo', b: 'x\u2028y' } }]);
  });

  it('warns about a bad line with its number and keeps the rest', async () => {
    const file = await fileWith('bad.jsonl', '{"a":1}\n{oops\n"text"\n{"a":2}\n');
    const { records, warnings } = await readAll(file);
    expect(records.map((r) => r.line)).toEqual([1, 4]);
    expect(warnings.map((w) => w.line)).toEqual([2, 3]);
    expect(warnings[0]?.message).toMatch(/^expected a JSON object, found text that is not JSON/);
    expect(warnings[1]?.message).toBe('expected a JSON object, found a string; the line was skipped');
  });

  it('throws a parse error naming file and line in strict mode', async () => {
    const file = await fileWith('strict.jsonl', '{"a":1}\nnull\n');
    const error = await readAll(file, true).catch((e: unknown) => e);
    expect(isAgentRolloutParseError(error)).toBe(true);
    expect(error).toMatchObject({ file, line: 2, reason: 'expected a JSON object, found null' });
    expect((error as Error).message).toBe(`${file}:2: expected a JSON object, found null`);
  });

  it('treats a cut-short last line as a warning, even in strict mode', async () => {
    const file = await fileWith('cut.jsonl', '{"a":1}\n{"a":2,"b":"unfini');
    const { records, warnings } = await readAll(file, true);
    expect(records.map((r) => r.value)).toEqual([{ a: 1 }]);
    expect(warnings).toEqual([
      { line: 2, message: 'the last line is cut short (the session may still have been written); it was ignored' },
    ]);
  });

  it('reads a last line without a newline when it is complete', async () => {
    const file = await fileWith('no-newline.jsonl', '{"a":1}\n{"a":2}');
    const { records, warnings } = await readAll(file);
    expect(records.map((r) => r.value)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(warnings).toEqual([]);
  });

  it('keeps multi-byte characters that straddle read chunks', async () => {
    // 1 MiB chunks: put a 4-byte character across the first boundary.
    const prefix = '{"pad":"';
    const pad = 'a'.repeat((1 << 20) - Buffer.byteLength(prefix) - 2);
    const file = await fileWith('straddle.jsonl', `${prefix}${pad}😀"}\n{"b":"ü"}\n`);
    const { records, warnings } = await readAll(file);
    expect(warnings).toEqual([]);
    expect(String(records[0]?.value.pad).endsWith('a😀')).toBe(true);
    expect(records[1]?.value).toEqual({ b: 'ü' });
  });

  it('reads a single line of 50 MB', async () => {
    const big = 'x'.repeat(50 * 1024 * 1024);
    const file = await fileWith('big.jsonl', `{"small":1}\n{"big":"${big}"}\n{"small":2}\n`);
    let bigLength = 0;
    const lines: number[] = [];
    for await (const record of readJsonlRecords({ path: file, warn: () => {} })) {
      lines.push(record.line);
      if (typeof record.value.big === 'string') bigLength = record.value.big.length;
    }
    expect(lines).toEqual([1, 2, 3]);
    expect(bigLength).toBe(big.length);
  });
});

describe('readJsonlRecords with skipMembers', () => {
  const skip: JsonlRecordOptions = { skipMembers: ['toolUseResult', 'payload.item.aggregated_output'] };

  it('leaves the members out of real Claude Code and Codex records, and keeps everything else', async () => {
    for (const name of ['claude-code-2.1.330.jsonl', 'claude-code-2.0.76.jsonl', 'codex-0.169.0.jsonl']) {
      const file = path.join(import.meta.dirname, 'fixtures', 'skip-members', name);
      const whole = await readAll(file);
      const cut = await readAll(file, false, skip);
      expect(cut.warnings).toEqual([]);
      for (const record of whole.records) {
        delete record.value.toolUseResult;
        const item = (record.value.payload as { item?: Record<string, unknown> } | undefined)?.item;
        if (item) delete item.aggregated_output;
      }
      expect(cut.records).toEqual(whole.records);
    }
  });

  it('tells a bad line exactly as without the option, in the same order', async () => {
    const content = [
      '{"a":1,"toolUseResult":{"big":"x"}}',
      '{"a":2,"b":tru,"toolUseResult":1}',
      '["toolUseResult"]',
      '{"a":3,"toolUseResult":{"unbalanced":[}',
      '{"toolUseResult":2,"a":4}',
      '{"a":5,"toolUseResult":"cut short',
    ].join('\n');
    const file = await fileWith('bad-skip.jsonl', content);
    const whole = await readAll(file);
    const cut = await readAll(file, false, skip);
    expect(cut.warnings).toEqual(whole.warnings);
    expect(cut.warnings.map((w) => w.line)).toEqual([2, 3, 4, 6]);
    expect(cut.records).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 5, value: { a: 4 } },
    ]);
    const strict = await readAll(file, true, skip).catch((e: unknown) => e);
    expect(strict).toMatchObject({ file, line: 2 });
  });

  it('also removes a member the cut could not reach (a key written with escapes)', async () => {
    const file = await fileWith(
      'escaped-key.jsonl',
      '{"\\u0061":1,"toolUseResult":2,"payload":{"item":{"aggregated_output":"x","id":"i"}}}\n',
    );
    const { records } = await readAll(file, false, skip);
    expect(records).toEqual([{ line: 1, value: { a: 1, payload: { item: { id: 'i' } } } }]);
  });

  it('warns about bytes that are not UTF-8 in what it keeps, and not in what it cuts', async () => {
    const file = await fileWith(
      'skip-utf8.jsonl',
      Buffer.concat([
        Buffer.from('{"a":"'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('","toolUseResult":"ok"}\n{"a":"ok","toolUseResult":"'),
        Buffer.from([0xff]),
        Buffer.from('"}\n'),
      ]),
    );
    const { records, warnings } = await readAll(file, false, skip);
    expect(records.map((r) => r.value)).toEqual([{ a: '\uFFFD(' }, { a: 'ok' }]);
    expect(warnings).toEqual([{ line: 1, message: 'the line holds bytes that are not UTF-8; they were replaced by U+FFFD' }]);
  });
});

describe('readLines', () => {
  // Short lines are decoded by Node, long ones (256 bytes and more) by the WebAssembly transcoder.
  it.each([
    ['short', ''],
    ['long', 'x'.repeat(300)],
  ])('flags bytes that are not UTF-8 but not a U+FFFD the file really holds, on %s lines', async (_, pad) => {
    const file = await fileWith(
      'mixed.jsonl',
      Buffer.concat([Buffer.from(`{"a":"\uFFFD${pad}"}\n{"a":"${pad}`), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]),
    );
    const lines = [];
    for await (const line of readLines(file)) lines.push(line);
    expect(lines.map((l) => [l.line, l.invalidUtf8, l.terminated])).toEqual([
      [1, false, true],
      [2, true, true],
    ]);
  });
});
