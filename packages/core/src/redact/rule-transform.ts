import { REDACTED_PREFIX, type RedactionRule, replacementFor } from './rule.js';

/**
 * Where the secret of a match lies: the first group, from the rule's secret group on (else
 * from group 1), that took part in the match; else the whole match.
 */
function secretSpan(match: RegExpExecArray, secretGroup: number | undefined): [number, number] {
  const indices = match.indices;
  if (indices) {
    for (let group = secretGroup ?? 1; group < indices.length; group++) {
      const span = indices[group];
      if (span) return span;
    }
  }
  return [match.index, match.index + match[0].length];
}

/**
 * The replacements of one rule in one text. `consider` takes the rule's matches in text order
 * and says where the search goes on; `result` gives the text (itself when nothing was replaced).
 */
class RuleReplacements {
  private parts: string[] | undefined;
  private copied = 0;
  private found = 0;

  constructor(
    private readonly rule: RedactionRule,
    private readonly text: string,
  ) {}

  /** Replaces the secret of a match when the rule accepts it; returns where the next match may start. */
  consider(match: RegExpExecArray, matchEnd: number): number {
    if (match[0].length === 0) return match.index + 1;
    const rule = this.rule;
    const text = this.text;
    const [start, end] = secretSpan(match, rule.secretGroup);
    const secret = text.slice(start, end);
    if (
      start < this.copied ||
      secret.length === 0 ||
      secret.startsWith(REDACTED_PREFIX) ||
      (rule.validate && !rule.validate(secret, { match, text }))
    ) {
      // Try again one character further: a rejected candidate may hide a real one inside it.
      return match.index + 1;
    }
    this.parts ??= [];
    this.parts.push(text.slice(this.copied, start), replacementFor(rule.id));
    this.copied = end;
    this.found++;
    return Math.max(matchEnd, end);
  }

  result(counts: Record<string, number>): string {
    if (this.parts === undefined) return this.text;
    this.parts.push(this.text.slice(this.copied));
    counts[this.rule.id] = (counts[this.rule.id] ?? 0) + this.found;
    return this.parts.join('');
  }
}

/**
 * Replaces every validated match of one rule with `[REDACTED:<id>]`, counting each one. Returns
 * the input string itself when nothing was replaced, so that a clean text costs no copy.
 */
export function applyRule(rule: RedactionRule, text: string, counts: Record<string, number>): string {
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  let replacements: RuleReplacements | undefined;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    replacements ??= new RuleReplacements(rule, text);
    pattern.lastIndex = replacements.consider(match, pattern.lastIndex);
  }
  return replacements === undefined ? text : replacements.result(counts);
}

/** Sticky copies of rule patterns, to try a pattern at one position. */
const stickyPatterns = new WeakMap<RegExp, RegExp>();

function stickyPattern(pattern: RegExp): RegExp {
  let sticky = stickyPatterns.get(pattern);
  if (!sticky) {
    sticky = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}y`);
    stickyPatterns.set(pattern, sticky);
  }
  return sticky;
}

/**
 * Tells whether a rule's `keywordFollowedBy` characters follow a keyword closely enough, asked
 * at keyword starts that only grow: each character's search resumes where its last one ended,
 * so all the questions about one text read it at most once per character.
 */
class KeywordFollowers {
  private readonly chars: string[];
  private readonly within: number;
  /** For each character, the first place at or after the last start asked where it occurs (Infinity: none). */
  private readonly next: number[];

  constructor(
    private readonly text: string,
    followedBy: NonNullable<RedactionRule['keywordFollowedBy']>,
  ) {
    this.chars = [...followedBy.chars];
    this.within = followedBy.within;
    this.next = this.chars.map(() => -1);
  }

  /** Whether one of the characters occurs at `start` or in the `within - 1` characters after it. */
  follow(start: number): boolean {
    for (let index = 0; index < this.chars.length; index++) {
      let next = this.next[index] as number;
      if (next < start) {
        const found = this.text.indexOf(this.chars[index] as string, start);
        next = found < 0 ? Number.POSITIVE_INFINITY : found;
        this.next[index] = next;
      }
      if (next < start + this.within) return true;
    }
    return false;
  }
}

/**
 * The same as {@link applyRule} for a rule with a `keywordOffset`, given where its keywords
 * start in the text (ascending): the pattern is tried only at the starts a match can have. A
 * global search tries every start and takes the first that matches; trying only the possible
 * ones, in order, finds the same matches.
 */
export function applyRuleNear(
  rule: RedactionRule,
  text: string,
  keywordStarts: Int32Array,
  count: number,
  counts: Record<string, number>,
): string {
  const offset = rule.keywordOffset;
  if (offset === undefined) return applyRule(rule, text, counts);
  const pattern = stickyPattern(rule.pattern);
  const followers = rule.keywordFollowedBy && new KeywordFollowers(text, rule.keywordFollowedBy);
  let replacements: RuleReplacements | undefined;
  // No match may start before `from`: it is past a replaced secret, or every start before it was tried.
  let from = 0;
  for (let hit = 0; hit < count; hit++) {
    const keywordStart = keywordStarts[hit] as number;
    if (followers !== undefined && !followers.follow(keywordStart)) continue;
    const last = Math.min(keywordStart - offset.min, text.length - 1);
    for (let start = Math.max(from, keywordStart - offset.max); start <= last; ) {
      pattern.lastIndex = start;
      const match = pattern.exec(text);
      if (match === null) {
        start++;
        continue;
      }
      replacements ??= new RuleReplacements(rule, text);
      from = replacements.consider(match, pattern.lastIndex);
      start = from;
    }
    from = Math.max(from, last + 1);
  }
  return replacements === undefined ? text : replacements.result(counts);
}
