/**
 * One step of text redaction: a secret rule or the path anonymizer. The engine runs a step
 * on a text only when one of its keywords occurs in the text.
 */
export interface TextTransform {
  /** Lower-case substrings that must occur for the step to be worth running; empty: always run. */
  keywords(): readonly string[];
  /** The text with this step's replacements made, or the very same string when there were none. */
  apply(text: string): string;
  /**
   * The same as `apply`, told where this step's keywords start in `text` (`count` offsets in
   * `keywordStarts`, ascending), so that it need not search the whole text. Optional.
   */
  applyNear?(text: string, keywordStarts: Int32Array, count: number): string;
}
