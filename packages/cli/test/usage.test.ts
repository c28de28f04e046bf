import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, TOY_CORPUS, TOY_PLUGIN, tempDir } from './helpers/run-cli.js';

const TOY = ['--plugin', TOY_PLUGIN, '--format', 'toy_chat', '--path', TOY_CORPUS];

describe('usage errors exit 2 and say what is wrong', () => {
  it.each([
    ['an unknown flag', ['ingest', '--fromat', 'x'], /unknown option '--fromat'/],
    [
      'a bad --output-format',
      ['ingest', ...TOY, '--output-format', 'csv'],
      /--output-format <format>' argument 'csv' is invalid\. Allowed choices are jsonl, parquet, openai-chat/,
    ],
    [
      'a partition index at the count',
      ['ingest', ...TOY, '--partition', '4/4'],
      /--partition <index>\/<count>' argument '4\/4' is invalid\. the index is 0-based and must be below the count \(0 to 3\)/,
    ],
    [
      'a partition that is not i/n',
      ['ingest', ...TOY, '--partition', 'half'],
      /--partition .* argument 'half' is invalid\. expected <index>\/<count>/,
    ],
    ['a zero --limit', ['ingest', ...TOY, '--limit', '0'], /--limit <n>' argument '0' is invalid\. expected a file count, at least 1/],
    [
      'a --workers that is not a number',
      ['ingest', ...TOY, '--workers', 'many'],
      /--workers <n>' argument 'many' is invalid\. expected a worker count, a whole number/,
    ],
    ['an unknown --format', ['ingest', '--plugin', TOY_PLUGIN, '--format', 'nope'], /--format nope: unknown format; available: .*toy_chat/],
    ['--path without --format', ['ingest', '--path', TOY_CORPUS], /--path needs exactly one --format/],
    ['--seed without --shuffle', ['ingest', ...TOY, '--seed', '3'], /--seed only matters with --shuffle/],
    ['Parquet to stdout', ['ingest', ...TOY, '--output-format', 'parquet'], /--output-format parquet needs --out <file>/],
    ['--keep-reasoning with JSONL', ['ingest', ...TOY, '--keep-reasoning'], /--keep-reasoning only applies to --output-format openai-chat/],
    [
      'a --path that does not exist',
      ['ingest', '--plugin', TOY_PLUGIN, '--format', 'toy_chat', '--path', 'no-such-dir'],
      /--path: the path for format "toy_chat", .*no-such-dir, does not exist/,
    ],
    [
      'no format at its default path',
      ['ingest', '--plugin', TOY_PLUGIN],
      /--format: no format has sessions at its default path on this machine .*toy_chat \(~\/\.toy-chat\)/,
    ],
    [
      '--redact-rules with --no-redact',
      ['ingest', ...TOY, '--no-redact', '--redact-rules', 'r.json'],
      /--redact-rules has no effect with --no-redact/,
    ],
    [
      'a --redact-rules file that is missing',
      ['ingest', ...TOY, '--redact-rules', 'missing.json'],
      /--redact-rules: .*missing\.json: cannot read the redaction rules file/,
    ],
    ['an unknown command', ['ingets'], /unknown command 'ingets'/],
    ['a stray argument', ['formats', 'extra'], /too many arguments/],
    ['no command', [], /Usage: agent-rollout/],
  ])('%s', async (_name, args, message) => {
    const dir = await tempDir();
    const result = await runCli(args, { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('an output that cannot be written is exit 1, not a usage error', async () => {
    const dir = await tempDir();
    const result = await runCli(['ingest', ...TOY, '--out', path.join('no-such-dir', 'rows.jsonl')], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error: --out no-such-dir\/rows\.jsonl: cannot create the output/);
  });
});

describe('--help', () => {
  it.each([['ingest'], ['formats'], ['stats']])('%s --help lists its flags and examples, exit 0', async (command) => {
    const dir = await tempDir();
    const result = await runCli([command, '--help'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: agent-rollout ${command}`);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain(`$ agent-rollout ${command}`);
  });

  it('ingest --help shows the shared source flags and the output choices', async () => {
    const dir = await tempDir();
    const result = await runCli(['ingest', '--help'], { cwd: dir });
    for (const flag of [
      '--format <id>',
      '--path <dir>',
      '--file-pattern <glob>',
      '--no-recursive',
      '--partition <index>/<count>',
      '--shuffle',
      '--seed <n>',
      '--limit <n>',
      '--strict',
      '--plugin <package>',
      '--workers <n>',
      '--no-redact',
      '--redact-rules <file>',
      '--report <file>',
      '--quiet',
    ]) {
      expect(result.stdout).toContain(flag);
    }
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('(choices: "jsonl", "parquet", "openai-chat")');
  });

  it('the top level --help lists the commands', async () => {
    const dir = await tempDir();
    const result = await runCli(['--help'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ingest \[options\]/);
    expect(result.stdout).toMatch(/formats \[options\]/);
    expect(result.stdout).toMatch(/stats \[options\]/);
  });
});
