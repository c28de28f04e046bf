import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { NormalizedRollout } from '@agent-rollout/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ClaudeCodeFormat } from '../src/handler.js';
import { corpusProjects, readFolder } from './helpers.js';

// A CLI 1.0.56 session with an in-file sidechain (a subagent written into the session file),
// and another session of the same project.
const SESSION = '73768988-9aa5-422b-be02-e3569da61859';
const OTHER = '296af732-48ad-4f49-9f18-03565a7bead4';
const SOURCE = corpusProjects('1.0.56');
const PROJECT = path.join(SOURCE, '-var-tmp-cg-scratch-claude-work-statkit');
const SUBAGENT_PROMPT = '"content":"SUBAGENT TASK: list every TODO comment';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A projects folder with one project holding the given files (name and content). */
function projectsWith(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cc-not-scanned-'));
  roots.push(root);
  const project = path.join(root, '-work-app');
  mkdirSync(project);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(project, name), text);
  return root;
}

const sessionText = readFileSync(path.join(PROJECT, `${SESSION}.jsonl`), 'utf8');
const otherText = readFileSync(path.join(PROJECT, `${OTHER}.jsonl`), 'utf8');
// The same session with its in-file subagent turned into the CLI's warm-up agent.
const warmupText = sessionText.replace(/"content":"SUBAGENT TASK: list every TODO comment[^"]*"/, '"content":"Warmup"');

function sessionRow(rows: NormalizedRollout[]): NormalizedRollout | undefined {
  return rows.find((row) => row.trace_id === SESSION);
}

/** The rows of the session file (its own and its in-file subagent's), without the folder they were read from. */
function rowsOfSession(rows: NormalizedRollout[]): unknown[] {
  return rows.filter((row) => row.trace_id.startsWith(SESSION)).map((row) => ({ ...row, source_path: path.basename(row.source_path) }));
}

describe('a session file alone in its project', () => {
  it('is not scanned for the parse context; a project of two files is', async () => {
    const handler = new ClaudeCodeFormat();
    const signal = new AbortController().signal;
    const alone = await handler.buildParseContext({
      root: projectsWith({}),
      files: [`-work-app/${SESSION}.jsonl`],
      signal,
      warn: () => {},
    });
    expect(alone.notScanned).toEqual({ [`-work-app/${SESSION}.jsonl`]: true });
    const twoFiles = [`-work-app/${OTHER}.jsonl`, `-work-app/${SESSION}.jsonl`];
    const beside = await handler.buildParseContext({
      root: projectsWith({ [`${SESSION}.jsonl`]: sessionText, [`${OTHER}.jsonl`]: otherText }),
      files: twoFiles,
      signal,
      warn: () => {},
    });
    expect(beside.notScanned).toEqual({});
    // The scanned context holds the link of the in-file subagent; the parse reads it itself otherwise.
    expect(beside.subagentsBySession[SESSION]).toEqual([`${SESSION}:sidechain-76111e76-6b90-458c-9da8-9a8d8612850f`]);
  });

  it('parses to the same rows alone as beside another session: subagents linked, warm-up agents counted', async () => {
    expect(sessionText).toContain(SUBAGENT_PROMPT);
    expect(warmupText).not.toContain(SUBAGENT_PROMPT);
    for (const text of [sessionText, warmupText]) {
      const alone = await readFolder(projectsWith({ [`${SESSION}.jsonl`]: text }));
      const beside = await readFolder(projectsWith({ [`${SESSION}.jsonl`]: text, [`${OTHER}.jsonl`]: otherText }));
      expect(alone.report.failures).toEqual([]);
      expect(rowsOfSession(alone.rows)).toEqual(rowsOfSession(beside.rows));
    }
    const subagent = await readFolder(projectsWith({ [`${SESSION}.jsonl`]: sessionText }));
    expect(sessionRow(subagent.rows)?.source_meta.subagents).toEqual([`${SESSION}:sidechain-76111e76-6b90-458c-9da8-9a8d8612850f`]);
    const warmup = await readFolder(projectsWith({ [`${SESSION}.jsonl`]: warmupText }));
    expect(sessionRow(warmup.rows)?.source_meta.subagents).toBeUndefined();
    expect(sessionRow(warmup.rows)?.source_meta.helper_agents_skipped).toBe(1);
  });
});
