/** ASCII letters, most frequent first, in prose, code and logs. */
const LETTER_FREQUENCY = 'etaoinshrdlcumwfgypbvkjxqz';

/**
 * A rough weight of how often a lower-cased ASCII character occurs in the text of agent
 * sessions (prose, code, logs), 0 standing for any character outside ASCII. The keyword scans
 * use it to pick the parts of each keyword that ordinary text rarely holds; a poor guess costs
 * time, never a hit. The common punctuation includes `-`: rules of dashes (`----`) are among
 * the most frequent four characters of the real sessions in the project's test corpus.
 */
export function characterWeight(code: number): number {
  if (code === 32) return 15;
  if (code === 0) return 10; // any character outside ASCII
  const letter = LETTER_FREQUENCY.indexOf(String.fromCharCode(code));
  if (letter >= 0) return 13 / (1 + letter * 0.6);
  if (code >= 48 && code <= 57) return 1;
  if (code === 10 || code === 46 || code === 44 || code === 34 || code === 95 || code === 45) return 2;
  return 0.5;
}
