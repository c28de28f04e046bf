import { z } from 'zod';
import { AgentRolloutError } from '../errors.js';

/** Which share of the corpus this run reads. */
export const SelectionSchema = z.object({
  /** This shard of `count` shards; shards are disjoint, complete together, and balanced by bytes. */
  partition: z
    .object({ index: z.number().int().nonnegative(), count: z.number().int().positive() })
    .refine((p) => p.index < p.count, { message: 'partition index must be below the count (0-based)' })
    .optional(),
  /** Shuffle the selected files with this seed (the same seed gives the same order). */
  shuffle: z.boolean().default(false),
  seed: z.number().int().default(0),
  /** Read at most this many files (after partition and shuffle). */
  limit: z.number().int().positive().optional(),
});

/** Partition, shuffle and limit, as a caller writes them (defaults may be left out). */
export type SelectionOptions = z.input<typeof SelectionSchema>;

interface Sized {
  relativePath: string;
  size: number;
}

/**
 * Assigns every file to one of `count` shards: largest first, each to the shard with the
 * fewest bytes so far (ties to the lowest index). Depends only on paths and sizes, so every
 * machine computes the same shards.
 */
export function partitionFiles<T extends Sized>(files: readonly T[], index: number, count: number): T[] {
  const order = files
    .map((file, position) => ({ file, position }))
    .sort((a, b) => b.file.size - a.file.size || (a.file.relativePath < b.file.relativePath ? -1 : 1));
  const load = new Array<number>(count).fill(0);
  const mine: { file: T; position: number }[] = [];
  for (const item of order) {
    let target = 0;
    for (let shard = 1; shard < count; shard += 1) {
      if ((load[shard] ?? 0) < (load[target] ?? 0)) target = shard;
    }
    load[target] = (load[target] ?? 0) + item.file.size;
    if (target === index) mine.push(item);
  }
  // Within a shard, keep the manifest's order.
  return mine.sort((a, b) => a.position - b.position).map((item) => item.file);
}

/** A small seeded generator (mulberry32): the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates with a seeded generator. Returns a new array. */
export function shuffleSeeded<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** Applies partition, then shuffle, then limit. */
export function selectFiles<T extends Sized>(files: readonly T[], options: SelectionOptions = {}): T[] {
  const parsed = SelectionSchema.safeParse(options);
  if (!parsed.success) {
    throw new AgentRolloutError(
      'config',
      `invalid selection: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const selection = parsed.data;
  let selected: T[] = selection.partition ? partitionFiles(files, selection.partition.index, selection.partition.count) : [...files];
  if (selection.shuffle) selected = shuffleSeeded(selected, selection.seed);
  if (selection.limit !== undefined) selected = selected.slice(0, selection.limit);
  return selected;
}
