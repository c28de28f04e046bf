import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createRedactor, type NormalizedRollout } from '../../src/index.js';
import { claudeCodeRow, codexRow, FIXTURES, readManifest, stringLeaves } from './fixture-rows.js';

const manifest = readManifest();

const CLAUDE_FILE = path.join(FIXTURES, 'claude-code/projects/-home-dana-work-statkit/216b8fe1-6763-4b9d-a110-86d7275ad330.jsonl');
const CODEX_FILE = path.join(FIXTURES, 'codex/sessions/2026/11/24/rollout-2026-11-24T01-46-59-01a20b3c-1f2a-7601-b341-8552c3441ac9.jsonl');

const rows: Record<string, () => NormalizedRollout> = {
  claude_code: () =>
    claudeCodeRow(CLAUDE_FILE, '/home/dana/.claude/projects/-home-dana-work-statkit/216b8fe1-6763-4b9d-a110-86d7275ad330.jsonl'),
  codex: () =>
    codexRow(CODEX_FILE, '/home/dana/.codex/sessions/2026/11/24/rollout-2026-11-24T01-46-59-01a20b3c-1f2a-7601-b341-8552c3441ac9.jsonl'),
};

/** The forms a value can take in a string: as is, and JSON-escaped when a tool printed a JSON file. */
function forms(value: string): string[] {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped === value ? [value] : [value, escaped];
}

function occurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/**
 * How many times each rule must fire: one replacement per place a planted value sits in.
 * `final_assistant_message` is derived from the messages again, not redacted a second time.
 */
function expectedCounts(row: NormalizedRollout): Record<string, number> {
  const leaves = stringLeaves({ ...row, final_assistant_message: null });
  const expected: Record<string, number> = {};
  for (const secret of manifest.secrets) {
    let found = 0;
    for (const leaf of leaves) for (const form of forms(secret.value)) found += occurrences(leaf, form);
    if (found > 0) expected[secret.rule] = (expected[secret.rule] ?? 0) + found;
  }
  return expected;
}

/** Long enough pieces of a value that none may survive: each PEM line, each part of a token. */
function fragments(value: string): string[] {
  return value
    .split(/\n|\.|-----/)
    .map((part) => part.trim())
    .filter((part) => part.length >= 16 && !/^(BEGIN|END) /.test(part));
}

describe.each(Object.keys(rows))('planted secrets in %s sessions', (format) => {
  const row = (rows[format] as () => NormalizedRollout)();
  const before = structuredClone(row);
  const redactor = createRedactor({ homeDir: manifest.homeDir, userNames: [] });
  const out = redactor.redactRow(row);
  const serialized = JSON.stringify(out);

  test('the fixture holds the planted secrets of (nearly) every rule', () => {
    const planted = new Set(Object.keys(expectedCounts(row)));
    const rules = new Set(manifest.secrets.map((secret) => secret.rule));
    expect(rules.size).toBeGreaterThanOrEqual(25);
    expect([...rules].filter((rule) => !planted.has(rule))).toEqual([]);
  });

  test('no planted value, nor any long piece of one, remains anywhere in the row', () => {
    const leaks = manifest.secrets.flatMap((secret) =>
      [...forms(secret.value), ...fragments(secret.value)].filter((piece) => serialized.includes(piece)).map(() => secret.id),
    );
    expect([...new Set(leaks)]).toEqual([]);
  });

  test('each planted value is counted under its rule, once per place it sat in', () => {
    const expected = expectedCounts(row);
    const actual = Object.fromEntries(Object.keys(expected).map((rule) => [rule, redactor.counts[rule] ?? 0]));
    expect(actual).toEqual(expected);
  });

  test('replacements name the rule', () => {
    for (const rule of Object.keys(expectedCounts(row))) expect(serialized).toContain(`[REDACTED:${rule}]`);
  });

  test('home directories become ~ and the user name leaves every path', () => {
    expect(out.cwd).toBe('~/work/statkit');
    expect(out.project_path).toBe('~/work/statkit');
    expect(out.source_path.startsWith('~/.')).toBe(true);
    expect(serialized).not.toMatch(/\/home\/dana|\/Users\/dana|Users\\\\+dana|-home-dana-|\/dana\//);
    expect(redactor.counts['home-directory']).toBeGreaterThan(0);
  });

  test('tool-call arguments stay valid JSON with the same keys', () => {
    const calls = (r: NormalizedRollout) => r.messages.flatMap((message) => message.tool_calls ?? []);
    const original = calls(row);
    const redacted = calls(out);
    expect(redacted).toHaveLength(original.length);
    redacted.forEach((call, index) => {
      const parsed = JSON.parse(call.function.arguments) as Record<string, unknown>;
      expect(Object.keys(parsed)).toEqual(Object.keys(JSON.parse((original[index] as typeof call).function.arguments) as object));
      expect(call.id).toBe((original[index] as typeof call).id);
    });
  });

  test('the input row is left as it was, and the derived columns follow the redacted messages', () => {
    expect(row).toEqual(before);
    expect(out.message_count).toBe(row.message_count);
    expect(out.tool_call_count).toBe(row.tool_call_count);
    const last = [...out.messages]
      .reverse()
      .find((message) => message.role === 'assistant' && message.content.some((block) => block.type === 'text'));
    const lastText = last?.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n\n');
    expect(out.final_assistant_message).toBe(lastText);
  });

  test('the counts hold rule ids and numbers only, never a secret', () => {
    const report = JSON.stringify(redactor.counts);
    for (const secret of manifest.secrets) expect(report).not.toContain(secret.value.slice(0, 12));
    for (const [id, count] of Object.entries(redactor.counts)) {
      expect(id).toMatch(/^[a-z0-9-]+$/);
      expect(Number.isInteger(count)).toBe(true);
    }
  });
});
