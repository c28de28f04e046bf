import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { createRedactor, type NormalizedRollout } from '../../src/index.js';
import { claudeCodeRow, codexRow, FIXTURES, readNoSecrets, stringLeaves } from './fixture-rows.js';

const noSecrets = readNoSecrets();
const CLEAN = path.join(FIXTURES, 'clean-corpus');
const cleanRows: NormalizedRollout[] = [
  claudeCodeRow(
    path.join(CLEAN, 'claude-code/projects/-var-tmp-cg-scratch-claude-work-statkit/216b8fe1-6763-4b9d-a110-86d7275ad330.jsonl'),
    'clean-1.jsonl',
  ),
  claudeCodeRow(
    path.join(CLEAN, 'claude-code/projects/-var-tmp-cg-scratch-claude-work-statkit/9cd0f90e-3002-4f82-b639-9d7eaccd22cb.jsonl'),
    'clean-2.jsonl',
  ),
  codexRow(
    path.join(CLEAN, 'codex/sessions/2026/11/24/rollout-2026-11-24T01-46-59-01a20b3c-1f2a-7601-b341-8552c3441ac9.jsonl'),
    'clean-3.jsonl',
  ),
  codexRow(
    path.join(CLEAN, 'codex/sessions/2026/11/24/rollout-2026-11-24T01-46-00-01a20b3b-3a29-7920-ae3d-c93285e8dd89.jsonl'),
    'clean-4.jsonl',
  ),
];

/** Secret rules only: this set measures false positives, path anonymization is tested elsewhere. */
const redactor = () => createRedactor({ anonymizePaths: false });

/** Each string that changed, with the rules that fired on it. */
function changedStrings(strings: readonly string[]): { text: string; redacted: string }[] {
  const r = redactor();
  return strings.flatMap((text) => {
    const redacted = r.redactText(text);
    return redacted === text ? [] : [{ text: text.slice(0, 200), redacted: redacted.slice(0, 200) }];
  });
}

describe('strings that hold no secret come out unchanged', () => {
  test.each(Object.keys(noSecrets.categories))('%s', (category) => {
    const strings = noSecrets.categories[category] ?? [];
    expect(strings.length).toBeGreaterThan(0);
    expect(changedStrings(strings)).toEqual([]);
  });

  test('real Claude Code and Codex sessions (no secrets in them) come out unchanged, as rows', () => {
    const r = redactor();
    for (const row of cleanRows) expect(r.redactRow(row)).toBe(row);
    expect(r.counts).toEqual({});
  });

  test('the measured false-positive rate is 0 over every string of the no-secrets set', () => {
    const strings = [...Object.values(noSecrets.categories).flat(), ...cleanRows.flatMap((row) => stringLeaves(row))];
    const changed = changedStrings(strings);
    const bytes = strings.reduce((sum, text) => sum + text.length, 0);
    // Reported in docs/security.md: strings scanned, characters scanned, strings changed.
    console.info(`redaction false positives: ${changed.length}/${strings.length} strings (${bytes} characters)`);
    expect(strings.length).toBeGreaterThan(1000);
    expect(changed.length / strings.length).toBe(0);
  });

  test('image blocks keep their data URL, even when it holds a secret-shaped run', () => {
    const url = `data:image/png;base64,${'A'.repeat(40)}AKIAQWERTYUIOPASDFGH${'B'.repeat(40)}`;
    const row = { ...(cleanRows[0] as NormalizedRollout) };
    row.messages = [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }];
    expect(redactor().redactRow(row).messages[0]?.content[0]).toEqual({ type: 'image_url', image_url: { url } });
  });
});
