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

function numericCounters(value: Record<string, unknown>): Record<string, number> {
  const numbers: Record<string, number> = {};
  for (const [counter, n] of Object.entries(value)) {
    // `responses` counts API replies, not tokens.
    if (typeof n === 'number' && Number.isFinite(n) && counter !== 'responses') numbers[counter] = n;
  }
  return numbers;
}

/**
 * Token usage per model from a row's `source_meta.token_usage`, in either shape the formats
 * write: per model (`{ "<model>": { "input_tokens": n, ... } }`, Claude Code) or one total for
 * the session (`{ "input_tokens": n, ... }`, Codex), which belongs to the session's model
 * (`source_meta.models`; several models are shown joined with `+`).
 */
export function tokenUsageOf(sourceMeta: Record<string, unknown>): Record<string, Record<string, number>> {
  const usage = sourceMeta.token_usage;
  if (!isRecord(usage)) return {};
  const values = Object.values(usage);
  if (values.length > 0 && values.every((value) => typeof value === 'number')) {
    const models = Array.isArray(sourceMeta.models) ? sourceMeta.models.filter((m): m is string => typeof m === 'string') : [];
    const counters = numericCounters(usage);
    return Object.keys(counters).length > 0 ? { [models.length > 0 ? models.join('+') : '(unknown model)']: counters } : {};
  }
  const out: Record<string, Record<string, number>> = {};
  for (const [model, counters] of Object.entries(usage)) {
    if (!isRecord(counters)) continue;
    const numbers = numericCounters(counters);
    if (Object.keys(numbers).length > 0) out[model] = numbers;
  }
  return out;
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
