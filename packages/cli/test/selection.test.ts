import { describe, expect, it } from 'vitest';
import { CLAUDE_PROJECTS, runCli, TOY_CORPUS, TOY_PLUGIN, tempDir } from './helpers/run-cli.js';

const TOY = ['ingest', '--plugin', TOY_PLUGIN, '--format', 'toy_chat', '--path', TOY_CORPUS, '-q'];
const CLAUDE = ['ingest', '--format', 'claude_code', '--path', CLAUDE_PROJECTS, '-q'];

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

function ids(text: string): string[] {
  return lines(text).map((line) => (JSON.parse(line) as { trace_id: string }).trace_id);
}

describe('selection flags', () => {
  it.each([
    ['the toy corpus in 3 shards', TOY, 3],
    ['the Claude Code corpus in 4 shards', CLAUDE, 4],
  ])('partitions %s: disjoint shards whose union is the unsharded output', async (_name, base, count) => {
    const dir = await tempDir();
    const whole = await runCli(base, { cwd: dir });
    expect(whole.code, whole.stderr).toBe(0);
    const shards = await Promise.all(
      Array.from({ length: count }, (_, index) => runCli([...base, '--partition', `${index}/${count}`], { cwd: dir })),
    );
    const union: string[] = [];
    for (const shard of shards) {
      expect(shard.code, shard.stderr).toBe(0);
      union.push(...lines(shard.stdout));
    }
    // Disjoint: no row is in two shards.
    expect(new Set(union).size).toBe(union.length);
    // Complete: together they hold exactly the rows of the unsharded run.
    expect([...union].sort()).toEqual(lines(whole.stdout).sort());
    expect(shards.filter((shard) => shard.stdout.length > 0).length).toBeGreaterThan(1);
  });

  it('--limit reads at most that many files', async () => {
    const dir = await tempDir();
    const result = await runCli([...TOY, '--limit', '3', '--report', 'report.json'], { cwd: dir });
    expect(result.code).toBe(0);
    // alpha, bravo, charlie: the first three files in path order.
    expect(ids(result.stdout)).toEqual(['toy-01', 'toy-02', 'toy-03']);
  });

  it('--shuffle --seed gives the same order for the same seed and another for another seed', async () => {
    const dir = await tempDir();
    const plain = await runCli(TOY, { cwd: dir });
    const [a, b, c] = await Promise.all([
      runCli([...TOY, '--shuffle', '--seed', '7'], { cwd: dir }),
      runCli([...TOY, '--shuffle', '--seed', '7'], { cwd: dir }),
      runCli([...TOY, '--shuffle', '--seed', '8'], { cwd: dir }),
    ]);
    expect(a.stdout).toBe(b.stdout);
    expect(ids(a.stdout)).not.toEqual(ids(plain.stdout));
    expect(ids(a.stdout)).not.toEqual(ids(c.stdout));
    expect([...ids(a.stdout)].sort()).toEqual([...ids(plain.stdout)].sort());
    // With a limit, the shuffled selection picks other files than the first ones.
    const limited = await runCli([...TOY, '--shuffle', '--seed', '7', '--limit', '3'], { cwd: dir });
    const picked = ids(limited.stdout);
    expect(picked.length).toBeGreaterThanOrEqual(2);
    expect(ids(a.stdout).slice(0, picked.length)).toEqual(picked);
    expect(picked).not.toEqual(['toy-01', 'toy-02', 'toy-03'].slice(0, picked.length));
  });

  it('gives the same bytes with worker threads as in the main thread', async () => {
    const dir = await tempDir();
    const [one, two] = await Promise.all([
      runCli([...CLAUDE, '--workers', '1'], { cwd: dir }),
      runCli([...CLAUDE, '--workers', '2'], { cwd: dir }),
    ]);
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(two.stdout).toBe(one.stdout);
    expect(one.stdout.length).toBeGreaterThan(0);
  });
});
