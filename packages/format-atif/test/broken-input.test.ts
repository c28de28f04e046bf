import { describe, expect, it } from 'vitest';
import { readFixtures } from './read-fixtures.js';

describe('bad input', () => {
  it('fails a cut-short document with the file, the line and what was expected, and goes on', async () => {
    const { report, rows } = await readFixtures('broken');
    const failure = report.failures.find((f) => f.path === 'truncated.json');
    expect(failure?.reason).toMatch(/^expected one JSON document \(an ATIF trajectory\)/);
    expect(failure?.line).toBe(5);
    expect(report.files.failed).toBe(1);
    expect(rows.map((r) => r.trace_id)).toEqual(['dangling-run', 'odd-steps']);
  });

  it('warns about a document without steps and skips it as holding no conversation', async () => {
    const { report } = await readFixtures('broken');
    expect(report.warnings).toContainEqual({ path: 'no-steps.json', message: 'expected "steps" to be a list of steps, found undefined' });
    expect(report.skipped).toContainEqual({ path: 'no-steps.json', reason: 'the trajectory has no "steps" list' });
  });

  it('warns about a subagent file that is not part of the read, and about a ref that resolves nowhere', async () => {
    const { report, rows } = await readFixtures('broken');
    const dangling = rows.find((r) => r.trace_id === 'dangling-run');
    expect(dangling?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool', 'assistant']);
    const messages = report.warnings.filter((w) => w.path === 'dangling.json').map((w) => w.message);
    expect(messages).toEqual([
      'the subagent trajectory subagents/missing.json is not among the files of this read; its row is missing',
      'a subagent reference to legacy-sub matches no embedded trajectory and names no file',
    ]);
    expect(((dangling?.source_meta.subagent_trajectory_refs ?? []) as { trace_id: string | null }[]).map((ref) => ref.trace_id)).toEqual([
      null,
      null,
    ]);
  });

  it('keeps the good steps of a trajectory with odd ones, and names each odd step in a warning', async () => {
    const { report, byTrace } = await readFixtures('broken');
    expect(report.warnings.filter((w) => w.path === 'odd-steps.json').map((w) => w.message)).toEqual([
      'step #2: expected an object, found a string; it was left out',
      'step 3: expected "source" to be system, user or agent, found "tool"; the step was left out',
      'step 4: a tool call has no "tool_call_id"; the call was left out',
      'step 4, call call_ls: expected "arguments" to be an object, found string; kept as {"input": ...}',
      'step 4: an observation answers tool call call_gone, which no earlier step of this trajectory made; kept as an observation',
    ]);
    const odd = byTrace.get('odd-steps');
    expect(odd?.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user', 'assistant']);
    expect(odd?.messages[1]?.tool_calls).toEqual([
      { id: 'call_ls', type: 'function', function: { name: 'bash', arguments: '{"input":"ls -la"}' } },
    ]);
    expect(odd?.messages[3]).toMatchObject({
      role: 'user',
      content: [{ type: 'text', text: 'stray output' }],
      metadata: { observation: true },
    });
  });

  it('stops at the first problem in strict mode', async () => {
    // Files are read in path order: dangling.json only warns (a missing file is not bad data), no-steps.json stops the read.
    await expect(readFixtures('broken', { errorPolicy: 'strict' })).rejects.toThrow(
      /no-steps\.json: expected "steps" to be a list of steps/,
    );
  });
});
