import type { NormalizedRollout } from '@agent-rollout/core';

/** Tool calls listed by name; the rest are summed under `other`. */
export const TOP_TOOLS = 20;

export interface StatsSummary {
  sessions: number;
  subagentSessions: number;
  messagesByRole: Record<string, number>;
  toolCalls: { total: number; top: { name: string; calls: number }[]; otherTools: number; otherCalls: number };
  /** Token counts per model, per counter (input_tokens, output_tokens, ...), as the formats report them. */
  tokensByModel: Record<string, Record<string, number>>;
  dateRange: { first: string | null; last: string | null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The keys under which format packages put per-model token usage in `source_meta`. */
const USAGE_KEYS = ['token_usage', 'usage', 'tokens'];

/**
 * Token usage per model from a row's `source_meta`: an object `{ <model>: { <counter>: n } }`
 * under one of {@link USAGE_KEYS}. Counters that are not numbers are ignored.
 */
export function tokenUsageOf(sourceMeta: Record<string, unknown>): Record<string, Record<string, number>> {
  for (const key of USAGE_KEYS) {
    const value = sourceMeta[key];
    if (!isRecord(value)) continue;
    const out: Record<string, Record<string, number>> = {};
    for (const [model, counters] of Object.entries(value)) {
      if (!isRecord(counters)) continue;
      const numbers: Record<string, number> = {};
      for (const [counter, n] of Object.entries(counters)) {
        if (typeof n === 'number' && Number.isFinite(n) && counter !== 'responses') numbers[counter] = n;
      }
      if (Object.keys(numbers).length > 0) out[model] = numbers;
    }
    if (Object.keys(out).length > 0) return out;
  }
  return {};
}

/** Accumulates the stats of many rows. */
export class StatsAggregate {
  #sessions = 0;
  #subagents = 0;
  readonly #roles = new Map<string, number>();
  readonly #tools = new Map<string, number>();
  readonly #tokens = new Map<string, Map<string, number>>();
  #first: string | null = null;
  #last: string | null = null;
  #firstMs = Number.POSITIVE_INFINITY;
  #lastMs = Number.NEGATIVE_INFINITY;

  add(row: NormalizedRollout): void {
    if (row.is_sidechain) this.#subagents += 1;
    else this.#sessions += 1;
    for (const message of row.messages) {
      this.#roles.set(message.role, (this.#roles.get(message.role) ?? 0) + 1);
      for (const call of message.tool_calls ?? []) this.#tools.set(call.function.name, (this.#tools.get(call.function.name) ?? 0) + 1);
    }
    for (const [model, counters] of Object.entries(tokenUsageOf(row.source_meta))) {
      let entry = this.#tokens.get(model);
      if (!entry) {
        entry = new Map();
        this.#tokens.set(model, entry);
      }
      for (const [counter, n] of Object.entries(counters)) entry.set(counter, (entry.get(counter) ?? 0) + n);
    }
    const started = row.started_at === null ? Number.NaN : Date.parse(row.started_at);
    const ended = row.ended_at === null ? Number.NaN : Date.parse(row.ended_at);
    if (Number.isFinite(started) && started < this.#firstMs) {
      this.#firstMs = started;
      this.#first = row.started_at;
    }
    if (Number.isFinite(ended) && ended > this.#lastMs) {
      this.#lastMs = ended;
      this.#last = row.ended_at;
    }
  }

  summary(): StatsSummary {
    const byCount = [...this.#tools.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const top = byCount.slice(0, TOP_TOOLS).map(([name, calls]) => ({ name, calls }));
    const rest = byCount.slice(TOP_TOOLS);
    const sortedKeys = <T>(map: Map<string, T>): [string, T][] => [...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return {
      sessions: this.#sessions,
      subagentSessions: this.#subagents,
      messagesByRole: Object.fromEntries(sortedKeys(this.#roles)),
      toolCalls: {
        total: byCount.reduce((sum, [, calls]) => sum + calls, 0),
        top,
        otherTools: rest.length,
        otherCalls: rest.reduce((sum, [, calls]) => sum + calls, 0),
      },
      tokensByModel: Object.fromEntries(
        sortedKeys(this.#tokens).map(([model, counters]) => [model, Object.fromEntries(sortedKeys(counters))]),
      ),
      dateRange: { first: this.#first, last: this.#last },
    };
  }
}
