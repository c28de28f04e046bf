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
 * Replaces every validated match of one rule with `[REDACTED:<id>]`, counting each one. Returns
 * the input string itself when nothing was replaced, so that a clean text costs no copy.
 */
export function applyRule(rule: RedactionRule, text: string, counts: Record<string, number>): string {
  const pattern = rule.pattern;
  pattern.lastIndex = 0;
  let parts: string[] | undefined;
  let copied = 0;
  let found = 0;
  const replacement = replacementFor(rule.id);
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    if (match[0].length === 0) {
      pattern.lastIndex = match.index + 1;
      continue;
    }
    const [start, end] = secretSpan(match, rule.secretGroup);
    const secret = text.slice(start, end);
    if (
      start < copied ||
      secret.length === 0 ||
      secret.startsWith(REDACTED_PREFIX) ||
      (rule.validate && !rule.validate(secret, { match, text }))
    ) {
      // Try again one character further: a rejected candidate may hide a real one inside it.
      pattern.lastIndex = match.index + 1;
      continue;
    }
    parts ??= [];
    parts.push(text.slice(copied, start), replacement);
    copied = end;
    found++;
    if (pattern.lastIndex < end) pattern.lastIndex = end;
  }
  if (parts === undefined) return text;
  parts.push(text.slice(copied));
  counts[rule.id] = (counts[rule.id] ?? 0) + found;
  return parts.join('');
}
