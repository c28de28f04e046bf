/** Shannon entropy of a string, in bits per character. */
export function shannonEntropy(value: string): number {
  const length = value.length;
  if (length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

export interface CharacterClasses {
  lower: boolean;
  upper: boolean;
  digit: boolean;
  other: boolean;
}

/** Which kinds of characters a string holds. */
export function characterClasses(value: string): CharacterClasses {
  const classes: CharacterClasses = { lower: false, upper: false, digit: false, other: false };
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 97 && code <= 122) classes.lower = true;
    else if (code >= 65 && code <= 90) classes.upper = true;
    else if (code >= 48 && code <= 57) classes.digit = true;
    else classes.other = true;
  }
  return classes;
}

/**
 * True for a string that looks machine-generated: a mix of letters and digits, or of upper
 * and lower case, spread over many distinct characters.
 */
export function looksRandom(value: string, minEntropy: number): boolean {
  const classes = characterClasses(value);
  const letters = classes.lower || classes.upper;
  const mixed = (letters && classes.digit) || (classes.lower && classes.upper);
  return mixed && shannonEntropy(value) >= minEntropy;
}
