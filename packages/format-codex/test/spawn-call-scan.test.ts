import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJsonlRecords } from '@agent-rollout/core';
import { afterAll, describe, expect, it } from 'vitest';
import { isObject, stringField } from '../src/records.js';
import { scanSpawnCalls } from '../src/spawn-call-scan.js';
import { COMPOSED, FIXTURES } from './helpers.js';

const PARENT = path.join(COMPOSED, 'subagents', 'rollout-2026-11-21T08-00-00-0d0d0d0d-0000-4000-8000-00000000000a.jsonl');

/** The spawn calls of a file found the slow way: every line parsed. */
async function spawnCallsByFullParse(filePath: string): Promise<Map<string, string>> {
  const calls = new Map<string, string>();
  for await (const { value } of readJsonlRecords({ path: filePath, warn: () => {} })) {
    if (value.type !== 'event_msg' || !isObject(value.payload) || value.payload.type !== 'item_completed') continue;
    const item = value.payload.item;
    if (!isObject(item) || item.type !== 'SubAgentActivity' || item.kind !== 'started') continue;
    const callId = stringField(item.id);
    const thread = stringField(item.agent_thread_id);
    if (callId !== undefined && thread !== undefined && !calls.has(thread)) calls.set(thread, callId);
  }
  return calls;
}

describe('scanSpawnCalls', () => {
  const temp = mkdtempSync(path.join(os.tmpdir(), 'codex-spawn-scan-'));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  it('finds the spawn call of each sub-agent in a parent rollout', async () => {
    expect(await scanSpawnCalls(PARENT)).toEqual(new Map([['0d0d0d0d-0000-4000-8000-00000000000b', 'call_spawn_c']]));
  });

  it('finds what a full parse finds, in every fixture rollout', async () => {
    const files = readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.jsonl'))
      .map((name) => path.join(FIXTURES, name));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(await scanSpawnCalls(file), file).toEqual(await spawnCallsByFullParse(file));
  });

  it('reads spawn lines cut across read chunks, after lines longer than a chunk, with a BOM and CRLF', async () => {
    const lines = readFileSync(PARENT, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0);
    const spawn = lines.find((line) => line.includes('"SubAgentActivity"')) as string;
    const second = spawn.replaceAll('call_spawn_c', 'call_spawn_d').replaceAll('00000000000b', '00000000000e');
    // A 1.5 MiB output line, then the spawn line placed so that it straddles the 2 MiB chunk edge.
    const filler = (size: number) => JSON.stringify({ type: 'event_msg', payload: { type: 'note', text: 'x'.repeat(size) } });
    const head = `\uFEFF${lines[0]}\r\n${filler(1.5 * 2 ** 20)}\n`;
    const padTo = 2 * 2 ** 20 - Buffer.byteLength(head) - 100;
    const text = `${head}${filler(padTo)}\n${spawn}\r\n${lines.slice(1).join('\n')}\n${second}`;
    const file = path.join(temp, 'rollout-straddle.jsonl');
    writeFileSync(file, text);
    const expected = new Map([
      ['0d0d0d0d-0000-4000-8000-00000000000b', 'call_spawn_c'],
      ['0d0d0d0d-0000-4000-8000-00000000000e', 'call_spawn_d'],
    ]);
    expect(await spawnCallsByFullParse(file)).toEqual(expected);
    expect(await scanSpawnCalls(file)).toEqual(expected);
  });

  it('stops with an aborted error when the read is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(scanSpawnCalls(PARENT, controller.signal)).rejects.toMatchObject({ code: 'aborted' });
  });
});
