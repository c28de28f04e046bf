import type { ParquetWriter, SchemaElement } from 'hyparquet-writer';
import { AgentRolloutError } from '../errors.js';
import type { NormalizedRollout } from '../schema/row.js';
import { type ByteTarget, openAtomicFile } from './byte-target.js';
import type { RolloutSink, SinkSummary } from './sink.js';

/** Where and how {@link createParquetSink} writes. */
export interface ParquetSinkOptions {
  /** The file to write (published atomically on close). */
  path: string;
  /** Rows per row group at most. Default 1000. */
  rowGroupRows?: number;
  /** A row group is also closed once its rows hold about this many bytes of text. Default 64 MiB. */
  rowGroupBytes?: number;
}

const STRING = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } } as const;
// JSON text, marked JSON so DuckDB and pyarrow know. hyparquet-writer serializes the values of
// a JSON column itself, with the same result as JSON.stringify for the JSON-only values of a row.
const JSON_TEXT = { type: 'BYTE_ARRAY', converted_type: 'JSON', logical_type: { type: 'JSON' } } as const;
const TIMESTAMP = {
  type: 'INT64',
  converted_type: 'TIMESTAMP_MILLIS',
  logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
} as const;
const INT32 = { type: 'INT32' } as const;
const BOOLEAN = { type: 'BOOLEAN' } as const;

type ColumnKind = typeof STRING | typeof JSON_TEXT | typeof TIMESTAMP | typeof INT32 | typeof BOOLEAN;

/** The Parquet columns, in the row's column order. */
export const PARQUET_COLUMNS: readonly { name: keyof NormalizedRollout; kind: ColumnKind; required: boolean }[] = [
  { name: 'trace_id', kind: STRING, required: true },
  { name: 'source_kind', kind: STRING, required: true },
  { name: 'source_path', kind: STRING, required: true },
  { name: 'root_session_id', kind: STRING, required: true },
  { name: 'agent_id', kind: STRING, required: false },
  { name: 'is_sidechain', kind: BOOLEAN, required: true },
  { name: 'cwd', kind: STRING, required: false },
  { name: 'project_path', kind: STRING, required: false },
  { name: 'git_branch', kind: STRING, required: false },
  { name: 'started_at', kind: TIMESTAMP, required: false },
  { name: 'ended_at', kind: TIMESTAMP, required: false },
  { name: 'messages', kind: JSON_TEXT, required: true },
  { name: 'source_meta', kind: JSON_TEXT, required: true },
  { name: 'message_count', kind: INT32, required: true },
  { name: 'tool_call_count', kind: INT32, required: true },
  { name: 'final_assistant_message', kind: STRING, required: false },
];

/** About how many bytes a row's text takes, to close a row group before it grows too large. */
function estimateBytes(row: NormalizedRollout): number {
  let bytes = 256;
  for (const message of row.messages) {
    bytes += 64 + (message.reasoning_content?.length ?? 0);
    for (const block of message.content) bytes += block.type === 'text' && typeof block.text === 'string' ? block.text.length : 256;
    for (const call of message.tool_calls ?? []) bytes += call.function.arguments.length + call.function.name.length + 64;
  }
  return bytes;
}

function parquetSchema(): SchemaElement[] {
  return [
    { name: 'root', num_children: PARQUET_COLUMNS.length },
    ...PARQUET_COLUMNS.map(
      (column) => ({ name: column.name, ...column.kind, repetition_type: column.required ? 'REQUIRED' : 'OPTIONAL' }) as SchemaElement,
    ),
  ];
}

type CellValue = string | number | boolean | Date | null | NormalizedRollout['messages'] | NormalizedRollout['source_meta'];

function cell(row: NormalizedRollout, column: (typeof PARQUET_COLUMNS)[number]): CellValue {
  const value = row[column.name];
  if (column.kind === JSON_TEXT) return value as CellValue;
  if (column.kind === TIMESTAMP) {
    if (value === null) return null;
    const date = new Date(value as string);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return value as CellValue;
}

/**
 * One row per session, the same columns as the JSONL row. Scalars are typed (strings, a
 * boolean, 32-bit counts, UTC millisecond timestamps); `messages` and `source_meta` are JSON
 * text with Parquet's JSON logical type. Rows are buffered only up to one row group.
 */
export function createParquetSink(options: ParquetSinkOptions): RolloutSink {
  const rowGroupRows = options.rowGroupRows ?? 1000;
  const rowGroupBytes = options.rowGroupBytes ?? 64 * 1024 * 1024;
  let target: ByteTarget | undefined;
  let writer: ParquetWriter | undefined;
  let columns: CellValue[][] = [];
  let bufferedRows = 0;
  let bufferedBytes = 0;
  let rows = 0;

  const opened = (): ParquetWriter => {
    if (!writer) throw new AgentRolloutError('sink', 'the Parquet sink was written to before open()');
    return writer;
  };
  const resetBuffer = (): void => {
    columns = PARQUET_COLUMNS.map(() => []);
    bufferedRows = 0;
    bufferedBytes = 0;
  };
  const flushGroup = async (): Promise<void> => {
    if (bufferedRows === 0) return;
    const columnData = PARQUET_COLUMNS.map((column, index) => ({ name: column.name, data: columns[index] as CellValue[] }));
    const size = bufferedRows;
    resetBuffer();
    await opened().write({ columnData, rowGroupSize: size });
  };

  return {
    format: 'parquet',
    async open() {
      // Loaded here, not with core: a read that writes no Parquet (and every parse worker) skips it.
      const { createParquetWriter } = await import('./parquet-writer.js');
      target = await openAtomicFile(options.path);
      writer = createParquetWriter(target, parquetSchema());
      resetBuffer();
    },
    async write(row: NormalizedRollout) {
      opened();
      PARQUET_COLUMNS.forEach((column, index) => {
        (columns[index] as CellValue[]).push(cell(row, column));
      });
      bufferedBytes += estimateBytes(row);
      bufferedRows += 1;
      rows += 1;
      if (bufferedRows >= rowGroupRows || bufferedBytes >= rowGroupBytes) await flushGroup();
    },
    async close(): Promise<SinkSummary> {
      await flushGroup();
      await opened().finish();
      const out = target as ByteTarget;
      await out.commit();
      return { format: 'parquet', path: out.path, rowsIn: rows, rowsWritten: rows, skipped: {}, bytes: out.bytes };
    },
    async abort() {
      await target?.discard();
    },
  };
}
