import { type FileHandle, open, rename, stat, truncate } from 'node:fs/promises';

/**
 * The columns every recipe output line carries so that a rerun can resume. A group is the
 * lines one input row produced (one for distillation, one per tool call for tool review);
 * it is written with a single write, so only the last group of a killed run can be torn.
 */
export interface CheckpointColumns {
  trace_id: string;
  /** The hash of everything the output depends on: recipe, prompts, models, budget, redaction. */
  recipe_config_hash: string;
  /** `ok`, or `failed` with `recipe_error` saying which step failed and why. */
  recipe_status: 'ok' | 'failed';
  recipe_error: string | null;
  /** This line's place in its group, 0-based, and the group's size. */
  record_index: number;
  record_count: number;
}

/** What a scan of an existing output found. */
export interface CheckpointScan {
  /** Trace ids whose group is complete, for this config hash. */
  done: Set<string>;
  /** Complete groups written with another config hash (left in place, not resumed). */
  otherConfigGroups: number;
  /** Bytes cut off the end: a torn last line or an incomplete last group. */
  truncatedBytes: number;
  /** Groups with a failed record removed because `retryFailed` was asked for. */
  removedFailedGroups: number;
}

export interface ScanOptions {
  configHash: string;
  /** Remove complete groups that hold a failed record, so they are done again. */
  retryFailed?: boolean;
  /** Sees every line of a complete group of this config hash (for the summary). */
  onRecord?: (record: Record<string, unknown>) => void;
}

/** The output file is not a recipe output, or is damaged before its end. */
export class CheckpointError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'CheckpointError';
  }
}

interface Group {
  traceId: string;
  hash: string;
  start: number;
  end: number;
  count: number;
  failed: boolean;
  records: Record<string, unknown>[];
}

/**
 * Reads an existing output before a run resumes. A last line without its newline (the
 * process was killed mid-write) or a last group with fewer lines than its `record_count`
 * is cut off, so the rerun writes it again exactly once.
 */
export async function scanCheckpoint(file: string, options: ScanOptions): Promise<CheckpointScan> {
  const scan: CheckpointScan = { done: new Set(), otherConfigGroups: 0, truncatedBytes: 0, removedFailedGroups: 0 };
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return scan;
    throw error;
  }
  const failedRanges: [number, number][] = [];
  let open_: Group | undefined;
  let validEnd = 0;
  let lineNumber = 0;

  const finish = (group: Group): void => {
    if (group.hash !== options.configHash) {
      scan.otherConfigGroups += 1;
      return;
    }
    if (options.retryFailed && group.failed) {
      failedRanges.push([group.start, group.end]);
      scan.removedFailedGroups += 1;
      return;
    }
    scan.done.add(group.traceId);
    for (const record of group.records) options.onRecord?.(record);
  };

  for await (const { text, start, end, terminated } of linesWithOffsets(file)) {
    lineNumber += 1;
    if (!terminated) break; // torn by a kill: cut below
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new CheckpointError(
        file,
        lineNumber,
        'expected one JSON object per line (a recipe output); choose another --out or repair the file',
      );
    }
    const columns = checkpointColumnsOf(record);
    if (!columns) {
      throw new CheckpointError(
        file,
        lineNumber,
        'this line has no trace_id/recipe_config_hash/record_index/record_count: the file is not a recipe output; choose another --out',
      );
    }
    if (columns.record_index === 0) {
      // A group that never finished followed by a new one: only possible if lines were edited by hand.
      if (open_) throw new CheckpointError(file, lineNumber, `the group of ${open_.traceId} before this line is incomplete`);
      open_ = {
        traceId: columns.trace_id,
        hash: columns.recipe_config_hash,
        start,
        end,
        count: columns.record_count,
        failed: false,
        records: [],
      };
    }
    if (!open_ || open_.traceId !== columns.trace_id || columns.record_index !== open_.records.length) {
      throw new CheckpointError(file, lineNumber, `record ${columns.record_index} of ${columns.trace_id} is out of place`);
    }
    open_.records.push(record);
    open_.end = end;
    if (columns.recipe_status === 'failed') open_.failed = true;
    if (open_.records.length === open_.count) {
      finish(open_);
      validEnd = end;
      open_ = undefined;
    }
  }

  if (validEnd < size) {
    scan.truncatedBytes = size - validEnd;
    await truncate(file, validEnd);
  }
  if (failedRanges.length > 0) await removeRanges(file, failedRanges);
  return scan;
}

function checkpointColumnsOf(record: Record<string, unknown>): CheckpointColumns | undefined {
  const { trace_id, recipe_config_hash, recipe_status, record_index, record_count } = record;
  if (typeof trace_id !== 'string' || typeof recipe_config_hash !== 'string') return undefined;
  if (!Number.isInteger(record_index) || !Number.isInteger(record_count)) return undefined;
  if (recipe_status !== 'ok' && recipe_status !== 'failed') return undefined;
  return record as unknown as CheckpointColumns;
}

interface OffsetLine {
  text: string;
  /** Byte offset of the line's first byte, and just past its newline. */
  start: number;
  end: number;
  terminated: boolean;
}

async function* linesWithOffsets(file: string): AsyncGenerator<OffsetLine> {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 20);
    let pending: Buffer[] = [];
    let pendingStart = 0;
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      const bytes = chunk.subarray(0, bytesRead);
      let from = 0;
      for (let nl = bytes.indexOf(0x0a, from); nl !== -1; nl = bytes.indexOf(0x0a, from)) {
        pending.push(Buffer.from(bytes.subarray(from, nl)));
        const end = position + nl + 1;
        yield { text: Buffer.concat(pending).toString('utf8'), start: pendingStart, end, terminated: true };
        pending = [];
        pendingStart = end;
        from = nl + 1;
      }
      if (from < bytes.length) pending.push(Buffer.from(bytes.subarray(from)));
      position += bytesRead;
    }
    if (pending.length > 0) yield { text: Buffer.concat(pending).toString('utf8'), start: pendingStart, end: position, terminated: false };
  } finally {
    await handle.close();
  }
}

/** Rewrites the file without the given byte ranges, through a temporary file and a rename. */
async function removeRanges(file: string, ranges: [number, number][]): Promise<void> {
  const temporary = `${file}.retry-${process.pid}.tmp`;
  const source = await open(file, 'r');
  const target = await open(temporary, 'w');
  try {
    let position = 0;
    const { size } = await source.stat();
    const keep: [number, number][] = [];
    for (const [start, end] of ranges) {
      if (start > position) keep.push([position, start]);
      position = end;
    }
    if (position < size) keep.push([position, size]);
    for (const [start, end] of keep) {
      const buffer = Buffer.allocUnsafe(end - start);
      await source.read(buffer, 0, buffer.length, start);
      await writeAll(target, buffer);
    }
    await target.sync();
  } finally {
    await source.close();
    await target.close();
  }
  await rename(temporary, file);
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, offset, buffer.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Appends groups of lines to the output, one write per group, in the order they are given,
 * each flushed to the disk before the next.
 */
export class CheckpointWriter {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly handle: FileHandle,
    private readonly durable: boolean,
  ) {}

  static async open(file: string, options: { durable?: boolean } = {}): Promise<CheckpointWriter> {
    return new CheckpointWriter(await open(file, 'a'), options.durable ?? true);
  }

  /** Writes one group: every record as one JSON line. */
  write(records: readonly object[]): Promise<void> {
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    const next = this.queue.then(async () => {
      await writeAll(this.handle, Buffer.from(text, 'utf8'));
      if (this.durable) await this.handle.datasync();
    });
    // A failed write fails its caller; later writes still run after it.
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    await this.handle.close();
  }
}
