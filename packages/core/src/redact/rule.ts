/**
 * A redaction rule: what to look for, and the cheap substrings that must be present before
 * its regular expression is worth running.
 */
export interface RedactionRule {
  /** Stable id, used in the replacement `[REDACTED:<id>]` and in the per-rule counts. */
  readonly id: string;
  readonly description: string;
  /**
   * Lower-case substrings; the rule runs on a text only when one of them occurs in it
   * (matched case-insensitively). An empty list means the rule runs on every text.
   */
  readonly keywords: readonly string[];
  /**
   * A global regular expression with match indices (flags `g` and `d`). The secret is the
   * first capture group that took part in the match, or the whole match when no group did.
   */
  readonly pattern: RegExp;
  /**
   * The capture group that holds the secret, when it is not the first one that matched. When
   * that group did not take part (an alternative), the first later group that did is used.
   */
  readonly secretGroup?: number;
  /** A second look at a candidate: false keeps the text as it is. */
  readonly validate?: (secret: string, context: RuleMatchContext) => boolean;
  /**
   * Where a keyword sits in every match the pattern can make: it starts between `min` and `max`
   * characters after the start of the match (`{min: 0, max: 0}` when the match begins with the
   * keyword). With it, the pattern is only tried at the starts this leaves, near the keywords
   * found, instead of over the whole text. Leave it out when not every match holds a keyword.
   */
  readonly keywordOffset?: { readonly min: number; readonly max: number };
  /**
   * With `keywordOffset`: characters one of which every match holds less than `within`
   * characters after the start of one of its keywords (the `=` or `:` of an assignment). The
   * pattern is not tried near a keyword found without any of them that close: a match around
   * it holds another keyword they do follow, and is found from that one.
   */
  readonly keywordFollowedBy?: { readonly chars: string; readonly within: number };
}

export interface RuleMatchContext {
  /** The whole regular-expression match. */
  readonly match: RegExpExecArray;
  /** The text the match was found in. */
  readonly text: string;
}

/**
 * A rule given by a user, from code or from a `--redact-rules` file. The pattern is a
 * regular expression in JavaScript syntax.
 */
export interface RedactionRuleInput {
  id: string;
  pattern: string | RegExp;
  /** Regular-expression flags besides `g` and `d` (which are always added): `i`, `m`, `s`, `u`. */
  flags?: string;
  description?: string;
  /** See {@link RedactionRule.keywords}. Without keywords the rule runs on every string. */
  keywords?: string[];
  /** The capture group that holds the secret (default: the first group that matched, else the whole match). */
  secretGroup?: number;
  /** Candidates whose Shannon entropy (bits per character) is lower are left alone. */
  minEntropy?: number;
}

/** The text that takes the place of a secret found by the rule `id`. */
export function replacementFor(id: string): string {
  return `[REDACTED:${id}]`;
}

/** The prefix every replacement starts with; values that already start with it are never redacted again. */
export const REDACTED_PREFIX = '[REDACTED:';
