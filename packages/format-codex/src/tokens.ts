import { isObject, type JsonObject } from './records.js';

const TOKEN_FIELDS = [
  'input_tokens',
  'cached_input_tokens',
  'cache_write_input_tokens',
  'output_tokens',
  'reasoning_output_tokens',
  'total_tokens',
] as const;

export type TokenUsage = Partial<Record<(typeof TOKEN_FIELDS)[number], number>>;

function readUsage(value: unknown): TokenUsage | undefined {
  if (!isObject(value)) return undefined;
  const usage: TokenUsage = {};
  let any = false;
  for (const field of TOKEN_FIELDS) {
    const n = value[field];
    if (typeof n === 'number' && Number.isFinite(n)) {
      usage[field] = n;
      any = true;
    }
  }
  return any ? usage : undefined;
}

function add(a: TokenUsage, b: TokenUsage): TokenUsage {
  const out: TokenUsage = { ...a };
  for (const field of TOKEN_FIELDS) {
    if (b[field] !== undefined) out[field] = (out[field] ?? 0) + (b[field] as number);
  }
  return out;
}

/**
 * The thread's token usage from cumulative snapshots. Each snapshot replaces the last (they
 * are running totals: summing them would count every response many times). A resume in an
 * older CLI starts a new process whose running total starts again from zero; when a total
 * drops, the finished segment's last total is banked and the new segment is added to it.
 */
class CumulativeTotals {
  #banked: TokenUsage | undefined;
  #current: TokenUsage | undefined;
  resets = 0;

  observe(usage: TokenUsage): void {
    const before = this.#current?.total_tokens;
    if (this.#current && before !== undefined && usage.total_tokens !== undefined && usage.total_tokens < before) {
      this.#banked = this.#banked ? add(this.#banked, this.#current) : this.#current;
      this.resets += 1;
    }
    this.#current = usage;
  }

  get total(): TokenUsage | undefined {
    if (!this.#current) return this.#banked;
    return this.#banked ? add(this.#banked, this.#current) : this.#current;
  }
}

/**
 * Token usage of a rollout. Current files write `token_usage_record` lines whose
 * `thread_token_usage` is cumulative; every generation since 0.34 writes `token_count`
 * events whose `info.total_token_usage` is cumulative. The records are preferred when present.
 */
export class TokenTracker {
  readonly #records = new CumulativeTotals();
  readonly #events = new CumulativeTotals();
  #contextWindow: number | undefined;

  observeTokenCountEvent(payload: JsonObject): void {
    const info = payload.info;
    if (!isObject(info)) return;
    const usage = readUsage(info.total_token_usage);
    if (usage) this.#events.observe(usage);
    if (typeof info.model_context_window === 'number') this.#contextWindow = info.model_context_window;
  }

  observeUsageRecord(payload: JsonObject): void {
    const usage = readUsage(payload.thread_token_usage);
    if (usage) this.#records.observe(usage);
  }

  /** The `source_meta` entries for token usage, or an empty object when the file has none. */
  toSourceMeta(): JsonObject {
    const fromRecords = this.#records.total;
    const usage = fromRecords ?? this.#events.total;
    if (!usage) return {};
    const meta: JsonObject = {
      token_usage: usage,
      token_usage_source: fromRecords ? 'token_usage_record' : 'token_count',
    };
    const resets = fromRecords ? this.#records.resets : this.#events.resets;
    if (resets > 0) meta.token_usage_segments = resets + 1;
    if (this.#contextWindow !== undefined) meta.model_context_window = this.#contextWindow;
    return meta;
  }
}
