import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedRollout } from '../../src/schema/row.js';
import { createParquetSink } from '../../src/sinks/parquet-sink.js';
import { rowWith, text, toolSession } from './rows.js';

let dir: string;
let file: string;
let rows: NormalizedRollout[];

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sink-parquet-'));
  file = path.join(dir, 'rollouts.parquet');
  rows = [
    toolSession('s1'),
    rowWith('s2', [{ role: 'user', content: text('only a question') }], {
      agent_id: 'a1',
      is_sidechain: true,
      cwd: null,
      git_branch: null,
    }),
    rowWith('s3', [{ role: 'user', content: text('no times') }], { started_at: null, ended_at: null }),
  ];
  // Two rows per group: the three rows land in two row groups.
  const sink = createParquetSink({ path: file, rowGroupRows: 2 });
  await sink.open();
  for (const row of rows) await sink.write(row);
  const summary = await sink.close();
  expect(summary).toMatchObject({ format: 'parquet', path: file, rowsIn: 3, rowsWritten: 3 });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Parquet sink, read back with DuckDB', () => {
  it('publishes only the final file', async () => {
    expect(await readdir(dir)).toEqual(['rollouts.parquet']);
  });

  it('has the row columns, in order, with typed scalars and JSON messages', async () => {
    const columns = await query(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    expect(columns.map((c) => [c.column_name, c.column_type])).toEqual([
      ['trace_id', 'VARCHAR'],
      ['source_kind', 'VARCHAR'],
      ['source_path', 'VARCHAR'],
      ['root_session_id', 'VARCHAR'],
      ['agent_id', 'VARCHAR'],
      ['is_sidechain', 'BOOLEAN'],
      ['cwd', 'VARCHAR'],
      ['project_path', 'VARCHAR'],
      ['git_branch', 'VARCHAR'],
      ['started_at', 'TIMESTAMP WITH TIME ZONE'],
      ['ended_at', 'TIMESTAMP WITH TIME ZONE'],
      ['messages', 'JSON'],
      ['source_meta', 'JSON'],
      ['message_count', 'INTEGER'],
      ['tool_call_count', 'INTEGER'],
      ['final_assistant_message', 'VARCHAR'],
    ]);
  });

  it('holds every row with the same values, in two row groups', async () => {
    const back = await query(
      `SELECT trace_id, agent_id, is_sidechain, cwd, git_branch, epoch_ms(started_at) AS started_ms, epoch_ms(ended_at) AS ended_ms,
              messages::VARCHAR AS messages, source_meta::VARCHAR AS source_meta, message_count, tool_call_count, final_assistant_message
       FROM read_parquet('${file}')`,
    );
    expect(back).toEqual(
      rows.map((row) => ({
        trace_id: row.trace_id,
        agent_id: row.agent_id,
        is_sidechain: row.is_sidechain,
        cwd: row.cwd,
        git_branch: row.git_branch,
        started_ms: row.started_at === null ? null : String(Date.parse(row.started_at)),
        ended_ms: row.ended_at === null ? null : String(Date.parse(row.ended_at)),
        messages: JSON.stringify(row.messages),
        source_meta: JSON.stringify(row.source_meta),
        message_count: row.message_count,
        tool_call_count: row.tool_call_count,
        final_assistant_message: row.final_assistant_message,
      })),
    );
    const groups = await query(`SELECT count(DISTINCT row_group_id) AS groups FROM parquet_metadata('${file}')`);
    expect(groups).toEqual([{ groups: '2' }]);
  });

  it('answers a query over messages: tool calls by tool name, and roles of every message', async () => {
    const tools = await query(
      `WITH m AS (SELECT trace_id, unnest(from_json(messages, '["json"]')) AS message FROM read_parquet('${file}'))
       SELECT trace_id, message->'tool_calls'->0->'function'->>'name' AS tool
       FROM m WHERE json_array_length(message->'tool_calls') > 0`,
    );
    expect(tools).toEqual([{ trace_id: 's1', tool: 'Bash' }]);
    const roles = await query(
      `SELECT message->>'role' AS role, count(*) AS n
       FROM (SELECT unnest(from_json(messages, '["json"]')) AS message FROM read_parquet('${file}'))
       GROUP BY role ORDER BY role`,
    );
    expect(roles).toEqual([
      { role: 'assistant', n: '2' },
      { role: 'system', n: '1' },
      { role: 'tool', n: '1' },
      { role: 'user', n: '3' },
    ]);
  });

  it('writes a readable file with no rows', async () => {
    const empty = path.join(dir, 'empty.parquet');
    const sink = createParquetSink({ path: empty });
    await sink.open();
    expect(await sink.close()).toMatchObject({ rowsWritten: 0 });
    expect(await query(`SELECT count(*) AS n FROM read_parquet('${empty}')`)).toEqual([{ n: '0' }]);
    await rm(empty);
  });

  it('writes the same bytes on every run, and nothing when aborted', async () => {
    const outputs: Buffer[] = [];
    for (const name of ['a.parquet', 'b.parquet']) {
      const sink = createParquetSink({ path: path.join(dir, name), rowGroupRows: 2 });
      await sink.open();
      for (const row of rows) await sink.write(row);
      await sink.close();
      outputs.push(await readFile(path.join(dir, name)));
      await rm(path.join(dir, name));
    }
    expect(outputs[1]?.equals(outputs[0] as Buffer)).toBe(true);
    const aborted = createParquetSink({ path: path.join(dir, 'aborted.parquet') });
    await aborted.open();
    await aborted.write(rows[0] as NormalizedRollout);
    await aborted.abort();
    expect(await readdir(dir)).toEqual(['rollouts.parquet']);
  });
});
