import type { TextTransform } from './text-transform.js';

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

interface KeywordIndex {
  /** For each keyword (lower case), the transforms whose keyword it is or contains. */
  byKeyword: Map<string, number[]>;
  pattern: RegExp | undefined;
}

/**
 * Keyword indexes by keyword lists. A redactor is made per file, often with the same rules,
 * so the index (quadratic in the number of keywords) is built once per distinct list.
 */
const indexCache = new Map<string, KeywordIndex>();
const INDEX_CACHE_LIMIT = 32;

/** A small number per distinct keyword list (by content), so that a cache key is cheap to build. */
const listIds = new WeakMap<readonly string[], number>();
const listIdsByContent = new Map<string, number>();
/** Never reused, so that ids kept in `listIds` stay unique after `listIdsByContent` is cleared. */
let nextListId = 0;

function listId(keywords: readonly string[]): number {
  let id = listIds.get(keywords);
  if (id === undefined) {
    const content = keywords.join('\u0000');
    id = listIdsByContent.get(content);
    if (id === undefined) {
      if (listIdsByContent.size >= 1024) listIdsByContent.clear();
      id = nextListId++;
      listIdsByContent.set(content, id);
    }
    listIds.set(keywords, id);
  }
  return id;
}

function keywordIndex(lists: readonly (readonly string[])[]): KeywordIndex {
  const signature = lists.map(listId).join(',');
  const cached = indexCache.get(signature);
  if (cached) return cached;
  const owners = new Map<string, Set<number>>();
  lists.forEach((keywords, index) => {
    for (const given of keywords) {
      const keyword = given.toLowerCase();
      if (keyword.length === 0) continue;
      const set = owners.get(keyword) ?? new Set<number>();
      set.add(index);
      owners.set(keyword, set);
    }
  });
  // A keyword that contains another one implies it: the scan reports only one keyword per
  // position, so `sk-ant-` must also wake the transforms of `sk-`.
  const byKeyword = new Map<string, number[]>();
  for (const keyword of owners.keys()) {
    const indices = new Set<number>();
    for (const [other, set] of owners) if (keyword.includes(other)) for (const index of set) indices.add(index);
    byKeyword.set(
      keyword,
      [...indices].sort((a, b) => a - b),
    );
  }
  const keywords = [...owners.keys()].sort((a, b) => b.length - a.length);
  const pattern = keywords.length > 0 ? new RegExp(keywords.map(escapeRegExp).join('|'), 'gi') : undefined;
  if (indexCache.size >= INDEX_CACHE_LIMIT) indexCache.clear();
  const index = { byKeyword, pattern };
  indexCache.set(signature, index);
  return index;
}

/**
 * Runs a list of transforms over texts. One case-insensitive scan for all keywords decides
 * which transforms can match; a text with no keyword is returned untouched without any copy.
 */
export class TextRedactor {
  private readonly transforms: readonly TextTransform[];
  private readonly alwaysRun: readonly number[];
  private keywordPattern: RegExp | undefined;
  private transformsByKeyword = new Map<string, number[]>();
  private readonly active: Uint8Array;

  constructor(transforms: readonly TextTransform[]) {
    this.transforms = transforms;
    this.active = new Uint8Array(transforms.length);
    this.alwaysRun = transforms.flatMap((transform, index) => (transform.keywords().length === 0 ? [index] : []));
    this.refreshKeywords();
  }

  /** Rebuilds the keyword scan; call after a transform's keywords changed. */
  refreshKeywords(): void {
    const index = keywordIndex(this.transforms.map((transform) => transform.keywords()));
    this.transformsByKeyword = index.byKeyword;
    // Shared between redactors of the same rules: every use sets lastIndex first and runs to
    // the end synchronously, so no two scans interleave.
    this.keywordPattern = index.pattern;
  }

  /** True when a keyword of some transform occurs in the text (or a transform always runs). */
  mightMatch(text: string): boolean {
    if (this.alwaysRun.length > 0) return true;
    const pattern = this.keywordPattern;
    if (!pattern) return false;
    pattern.lastIndex = 0;
    return pattern.test(text);
  }

  redact(text: string): string {
    if (text.length === 0) return text;
    const active = this.active;
    const total = this.transforms.length;
    let activeCount = 0;
    for (const index of this.alwaysRun) {
      active[index] = 1;
      activeCount++;
    }
    const pattern = this.keywordPattern;
    if (pattern) {
      pattern.lastIndex = 0;
      // Stops early once every transform is due (code full of `key` and `token`).
      for (let hit = pattern.exec(text); hit !== null && activeCount < total; hit = pattern.exec(text)) {
        const indices = this.transformsByKeyword.get(hit[0].toLowerCase());
        if (indices) {
          for (const index of indices) {
            if (active[index] === 0) {
              active[index] = 1;
              activeCount++;
            }
          }
        }
        pattern.lastIndex = hit.index + 1;
      }
    }
    if (activeCount === 0) return text;
    let result = text;
    for (let index = 0; index < this.transforms.length; index++) {
      if (active[index] === 1) {
        active[index] = 0;
        const transform = this.transforms[index];
        if (transform) result = transform.apply(result);
      }
    }
    return result;
  }
}
