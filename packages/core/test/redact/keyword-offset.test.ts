import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { builtinRedactionRules, type RedactionRule } from '../../src/index.js';
import { seededRandom } from '../../src/reader/selection.js';
import { KeywordHits, KeywordScanner } from '../../src/redact/keyword-scanner.js';
import { applyRule, applyRuleNear } from '../../src/redact/rule-transform.js';
import { claudeCodeRow, codexRow, FIXTURES, readManifest, readNoSecrets, stringLeaves } from './fixture-rows.js';

// A rule with a `keywordOffset` is tried only near its keywords. That must find exactly what a
// search of the whole text finds, or the offset is wrong and the rule loses coverage.

const manifest = readManifest();
const plantedRows = [
  claudeCodeRow(
    path.join(FIXTURES, 'claude-code/projects/-home-dana-work-statkit/216b8fe1-6763-4b9d-a110-86d7275ad330.jsonl'),
    '/home/dana/.claude/projects/-home-dana-work-statkit/216b8fe1-6763-4b9d-a110-86d7275ad330.jsonl',
  ),
  codexRow(
    path.join(FIXTURES, 'codex/sessions/2026/11/24/rollout-2026-11-24T01-46-59-01a20b3c-1f2a-7601-b341-8552c3441ac9.jsonl'),
    '/home/dana/.codex/sessions/2026/11/24/rollout-2026-11-24T01-46-59-01a20b3c-1f2a-7601-b341-8552c3441ac9.jsonl',
  ),
];
const noSecrets = readNoSecrets();

/**
 * Texts dense with near-misses: planted values and their names, joined by separators, with
 * prefixes of random characters, so that matches start at every offset from the keywords.
 */
function mixedTexts(): string[] {
  const next = seededRandom(11);
  const pieces = [
    ...manifest.secrets.map((secret) => secret.value),
    'API_KEY=',
    // Under a bare `key` a dotted value is no secret; under these longer names it is.
    'private_key=',
    'access-key: ',
    'apikey=',
    'client_secret=',
    'Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9.zX2cV4bN6mQ8',
    // Schemes of every length before `://`.
    'git+ssh://',
    'a.very-long+scheme-name.abcdefgh://',
    'http://hooks.slack.com/services/T01ABCDEF/B02GHIJKLMN/Zq8mW2rT5yU7iO9pA1sD3fG5',
    'private_key_id',
    'export DB_PASSWORD=',
    '"client_secret": "',
    'token: ',
    'https://user:',
    '@host',
    'postgres://app:',
    'Bearer ',
    'basic ',
    '?sig=',
    'AccountKey=',
    'sk-',
    'Q~',
    'eyJ',
    '.',
    '"',
    ' ',
    '=',
    ':',
    '\n',
    '\\"',
  ];
  const characters = 'aZ09_-./:=+~?&@"\' \\';
  const texts: string[] = [];
  for (let round = 0; round < 400; round++) {
    let text = '';
    const parts = 1 + Math.floor(next() * 8);
    for (let part = 0; part < parts; part++) {
      for (let extra = Math.floor(next() * 10); extra > 0; extra--) text += characters[Math.floor(next() * characters.length)];
      const piece = pieces[Math.floor(next() * pieces.length)] as string;
      // Cut some values short or glue them to the next piece.
      text += next() < 0.2 ? piece.slice(0, Math.floor(next() * piece.length)) : piece;
    }
    texts.push(text);
  }
  return texts;
}

/** Secrets behind names and schemes of every length the offsets allow. */
function edgeTexts(): string[] {
  const dotted = 'Zq8mW2rT5yU7iO9pA1sD3fG5hJ7kL9.zX2cV4bN6mQ8';
  const names = ['key=', 'api_key=', 'apikey: ', 'access-key=', 'accesskey=', 'private_key=', 'private-key = ', 'client_secret: '];
  const schemes = ['ab', 'git+ssh', 'svn', 'a.very-long+scheme-name.abcdefghi', 'a.very-long+scheme-name.abcdefghij'];
  // The farthest an assignment may follow its keyword: the longest name word, 30 more name
  // characters, an escaped quote and 4 spaces (see the rule's `keywordFollowedBy`).
  const longName = `credentials_${'abcdefghij'.repeat(3).slice(0, 29)}`;
  return [
    `${longName}\\"    =Zq8mW2rT5yU7iO9pA1sD3fG5x`,
    `${longName}\\"     =Zq8mW2rT5yU7iO9pA1sD3fG5x`,
    `token ${'word '.repeat(20)}${longName}\\"    : Zq8mW2rT5yU7iO9pA1sD3fG5x token`,
    ...names.flatMap((name) => [`${name}${dotted}`, `x ${name}"${dotted}"`]),
    ...schemes.map((scheme) => `clone ${scheme}://deploy:Zq8mW2rT5yU7iO9pA1sD@example.org/repo`),
  ];
}

function keywordStarts(rule: RedactionRule, text: string): [Int32Array, number] {
  const hits = new KeywordHits();
  new KeywordScanner([...new Set(rule.keywords)], 0).scan(text, hits);
  const starts = Array.from({ length: hits.count }, (_, hit) => hits.data[2 * hit + 1] as number).sort((a, b) => a - b);
  return [Int32Array.from(starts), starts.length];
}

const texts = [
  ...plantedRows.flatMap((row) => stringLeaves(row)),
  ...Object.values(noSecrets.categories).flat(),
  ...manifest.secrets.map((secret) => secret.value),
  ...mixedTexts(),
  ...edgeTexts(),
];

describe('rules tried near their keywords find what a whole-text search finds', () => {
  const rules = builtinRedactionRules().filter((rule) => rule.keywordOffset !== undefined);

  test('most built-in rules have a keyword offset', () => {
    expect(rules.length).toBeGreaterThanOrEqual(20);
  });

  test.each(rules.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
    let replaced = 0;
    for (const text of texts) {
      const whole: Record<string, number> = {};
      const near: Record<string, number> = {};
      const expected = applyRule(rule, text, whole);
      const [starts, count] = keywordStarts(rule, text);
      expect(applyRuleNear(rule, text, starts, count, near), JSON.stringify(text.slice(0, 300))).toBe(expected);
      expect(near).toEqual(whole);
      replaced += whole[rule.id] ?? 0;
    }
    // The texts hold secrets of this rule, so the comparison covers real matches.
    expect(replaced).toBeGreaterThan(0);
  });
});
