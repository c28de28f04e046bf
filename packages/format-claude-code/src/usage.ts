import { isObject, messageOf, nonEmptyString, type RawRecord, SYNTHETIC_MODEL } from './records.js';

/** Token totals of one model. */
export interface ModelUsage {
  /** API responses counted (distinct `message.id`s). */
  responses: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

interface ResponseUsage {
  model: string;
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Sums token usage per model, once per API response. Every line of a split response repeats
 * `usage`, and early lines hold a snapshot taken before the response ended, so each response
 * counts with its largest copy (input and cache counts are the same on every copy).
 * Responses from the CLI itself (model `<synthetic>`) are not model usage and are left out.
 */
export class UsageCounter {
  readonly #byResponse = new Map<string, ResponseUsage>();
  #anonymous = 0;

  /** Adds one assistant line. Returns false when the line carries no countable usage. */
  add(record: RawRecord): boolean {
    const message = messageOf(record);
    if (!message || !isObject(message.usage)) return false;
    const model = nonEmptyString(message, 'model') ?? 'unknown';
    if (model === SYNTHETIC_MODEL) return false;
    const usage = message.usage;
    const current: ResponseUsage = {
      model,
      input: count(usage.input_tokens),
      output: count(usage.output_tokens),
      cacheRead: count(usage.cache_read_input_tokens),
      cacheCreation: count(usage.cache_creation_input_tokens),
    };
    // Without a message id every line is its own response (only seen in very old or foreign files).
    this.#anonymous += 1;
    const key = nonEmptyString(message, 'id') ?? `line:${this.#anonymous}`;
    const previous = this.#byResponse.get(key);
    if (previous === undefined || total(current) > total(previous)) this.#byResponse.set(key, current);
    return true;
  }

  /** Totals per model, models sorted by name. */
  totals(): Record<string, ModelUsage> {
    const byModel = new Map<string, ModelUsage>();
    for (const response of this.#byResponse.values()) {
      let entry = byModel.get(response.model);
      if (!entry) {
        entry = { responses: 0, input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
        byModel.set(response.model, entry);
      }
      entry.responses += 1;
      entry.input_tokens += response.input;
      entry.output_tokens += response.output;
      entry.cache_read_input_tokens += response.cacheRead;
      entry.cache_creation_input_tokens += response.cacheCreation;
    }
    return Object.fromEntries([...byModel.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

function total(usage: ResponseUsage): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheCreation;
}
