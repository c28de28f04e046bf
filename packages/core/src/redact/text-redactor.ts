import { KeywordHits, KeywordScanner } from './keyword-scanner.js';
import type { TextTransform } from './text-transform.js';

interface KeywordIndex {
  scanner: KeywordScanner;
  /** For each keyword of the scanner, the transforms it wakes. */
  owners: readonly (readonly number[])[];
}

/**
 * Keyword indexes by keyword lists. A redactor is made per file, mostly with the same rules, so
 * the index is built once per distinct list (and the path anonymizer's list grows as it learns).
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
  const owners = new Map<string, number[]>();
  lists.forEach((keywords, index) => {
    for (const given of keywords) {
      const keyword = given.toLowerCase();
      if (keyword.length === 0) continue;
      let list = owners.get(keyword);
      if (!list) {
        list = [];
        owners.set(keyword, list);
      }
      if (!list.includes(index)) list.push(index);
    }
  });
  const index: KeywordIndex = { scanner: new KeywordScanner([...owners.keys()]), owners: [...owners.values()] };
  if (indexCache.size >= INDEX_CACHE_LIMIT) indexCache.clear();
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
  private index: KeywordIndex;
  private readonly active: Uint8Array;
  /** Reused by every scan of this redactor (scans never nest). */
  private readonly hits = new KeywordHits();
  /** The keyword starts handed to a transform's `applyNear`. */
  private starts = new Int32Array(64);

  constructor(transforms: readonly TextTransform[]) {
    this.transforms = transforms;
    this.active = new Uint8Array(transforms.length);
    this.alwaysRun = transforms.flatMap((transform, index) => (transform.keywords().length === 0 ? [index] : []));
    this.index = keywordIndex(this.transforms.map((transform) => transform.keywords()));
  }

  /** Rebuilds the keyword scan; call after a transform's keywords changed. */
  refreshKeywords(): void {
    this.index = keywordIndex(this.transforms.map((transform) => transform.keywords()));
  }

  /** True when a keyword of some transform occurs in the text (or a transform always runs). */
  mightMatch(text: string): boolean {
    if (this.alwaysRun.length > 0) return true;
    const hits = this.hits;
    hits.count = 0;
    this.index.scanner.scan(text, hits);
    return hits.count > 0;
  }

  redact(text: string): string {
    if (text.length === 0) return text;
    const { scanner, owners } = this.index;
    if (text.length < scanner.minLength && this.alwaysRun.length === 0) return text;
    const hits = this.hits;
    hits.count = 0;
    scanner.scan(text, hits);
    if (hits.count === 0 && this.alwaysRun.length === 0) return text;
    const active = this.active;
    for (const index of this.alwaysRun) active[index] = 1;
    const data = hits.data;
    for (let hit = 0; hit < hits.count; hit++) {
      for (const index of owners[data[2 * hit] as number] as readonly number[]) active[index] = 1;
    }
    let result = text;
    for (let index = 0; index < this.transforms.length; index++) {
      if (active[index] === 1) {
        active[index] = 0;
        const transform = this.transforms[index] as TextTransform;
        // The keyword starts hold for the text scanned, not for one an earlier step changed.
        if (transform.applyNear !== undefined && result === text) {
          const count = this.keywordStarts(index, owners);
          result = transform.applyNear(result, this.starts, count);
        } else {
          result = transform.apply(result);
        }
      }
    }
    return result;
  }

  /**
   * Puts the starts of the keywords of one transform, from the last scan, in `starts` (ascending);
   * returns how many. `owners` is of the index that scan used (a step may refresh the index).
   */
  private keywordStarts(transform: number, owners: KeywordIndex['owners']): number {
    const hits = this.hits;
    const data = hits.data;
    if (this.starts.length < hits.count) this.starts = new Int32Array(hits.count * 2);
    const starts = this.starts;
    let count = 0;
    for (let hit = 0; hit < hits.count; hit++) {
      if ((owners[data[2 * hit] as number] as readonly number[]).includes(transform)) {
        // The scan reports starts nearly in order: an insertion sort costs next to nothing.
        const start = data[2 * hit + 1] as number;
        let at = count++;
        while (at > 0 && (starts[at - 1] as number) > start) {
          starts[at] = starts[at - 1] as number;
          at--;
        }
        starts[at] = start;
      }
    }
    return count;
  }
}
