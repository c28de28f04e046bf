// Ingests core's planted-secrets corpus (packages/core/test/fixtures/redact) through the real
// binary into every output format and checks that no planted value comes out anywhere: not
// in the dataset, not in the run report, not in `stats`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { CLI_DIR, runCli, tempDir } from './helpers/run-cli.js';

const REDACT_FIXTURES = path.resolve(CLI_DIR, '..', 'core', 'test', 'fixtures', 'redact');

interface PlantedSecret {
  id: string;
  rule: string;
  value: string;
}

const CORPORA = [
  { format: 'claude_code', root: path.join(REDACT_FIXTURES, 'claude-code', 'projects') },
  { format: 'codex', root: path.join(REDACT_FIXTURES, 'codex', 'sessions') },
];

// Files are parsed (and redacted) in worker threads by default; `--workers 1` parses in the main thread.
const OUTPUTS = [
  { label: 'jsonl', outputFormat: 'jsonl', file: 'rows.jsonl', extra: [] as string[] },
  { label: 'jsonl, parsed in the main thread', outputFormat: 'jsonl', file: 'rows.jsonl', extra: ['--workers', '1'] },
  { label: 'parquet', outputFormat: 'parquet', file: 'rows.parquet', extra: [] as string[] },
  { label: 'openai-chat', outputFormat: 'openai-chat', file: 'sft.jsonl', extra: ['--keep-reasoning'] },
];

async function plantedSecrets(): Promise<PlantedSecret[]> {
  const manifest = JSON.parse(await readFile(path.join(REDACT_FIXTURES, 'planted-secrets.json'), 'utf8')) as { secrets: PlantedSecret[] };
  return manifest.secrets;
}

/** The value as written, JSON-escaped, and every long piece of it (a PEM line, a JWT part). */
function pieces(value: string): string[] {
  const parts = value
    .split(/\n|\.|-----/)
    .map((part) => part.trim())
    .filter((part) => part.length >= 16 && !/^(BEGIN|END) /.test(part));
  return [value, JSON.stringify(value).slice(1, -1), ...parts];
}

function leaked(text: string, secrets: readonly PlantedSecret[]): string[] {
  return secrets.filter((secret) => pieces(secret.value).some((piece) => text.includes(piece))).map((secret) => secret.id);
}

/** Every cell of a Parquet file, as DuckDB reads it back, as one JSON text. */
async function parquetText(file: string): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`)).getRowObjectsJson();
    expect(rows.length).toBeGreaterThan(0);
    return JSON.stringify(rows);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The files of a corpus, raw, to know which secrets (and so which rules) it holds. */
async function rawCorpus(format: string): Promise<string> {
  const files: Record<string, string> = {
    claude_code: path.join(REDACT_FIXTURES, 'claude-code/projects/-home-dana-work-statkit/216b8fe1-6763-4b9d-a110-86d7275ad330.jsonl'),
    codex: path.join(REDACT_FIXTURES, 'codex/sessions/2026/11/24/rollout-2026-11-24T01-46-59-01a20b3c-1f2a-7601-b341-8552c3441ac9.jsonl'),
  };
  return readFile(files[format] as string, 'utf8');
}

describe.each(CORPORA)('planted secrets in $format sessions, ingested by the CLI', ({ format, root }) => {
  it.each(OUTPUTS)(
    '$label: no planted value remains, each rule is reported, the report holds no secret',
    async ({ outputFormat, file, extra }) => {
      const secrets = await plantedSecrets();
      const raw = await rawCorpus(format);
      const present = secrets.filter((secret) => pieces(secret.value).some((piece) => raw.includes(piece)));
      expect(present.length).toBeGreaterThan(20);

      const dir = await tempDir();
      const result = await runCli(
        [
          'ingest',
          '--format',
          format,
          '--path',
          root,
          '--output-format',
          outputFormat,
          '--out',
          file,
          '--report',
          'report.json',
          ...extra,
          '-q',
        ],
        { cwd: dir },
      );
      expect(result.code, result.stderr).toBe(0);
      const output = outputFormat === 'parquet' ? await parquetText(path.join(dir, file)) : await readFile(path.join(dir, file), 'utf8');
      expect(output.length).toBeGreaterThan(1000);
      expect(leaked(output, secrets)).toEqual([]);
      expect(output).not.toMatch(/\/home\/dana|-home-dana-/);
      expect(leaked(result.stdout + result.stderr, secrets)).toEqual([]);

      const reportText = await readFile(path.join(dir, 'report.json'), 'utf8');
      expect(leaked(reportText, secrets)).toEqual([]);
      const report = JSON.parse(reportText) as { redactions: Record<string, number> };
      const rules = [...new Set(present.map((secret) => secret.rule))].sort();
      expect(rules.filter((rule) => !((report.redactions[rule] ?? 0) > 0))).toEqual([]);
      // openai-chat keeps the conversation only; the row formats keep every column, source_meta included.
      if (outputFormat !== 'openai-chat') for (const rule of rules) expect(output).toContain(`[REDACTED:${rule}]`);
    },
  );

  it('stats print no planted value either', async () => {
    const secrets = await plantedSecrets();
    const dir = await tempDir();
    for (const args of [['--json'], []]) {
      const result = await runCli(['stats', '--format', format, '--path', root, ...args], { cwd: dir });
      expect(result.code, result.stderr).toBe(0);
      expect(leaked(result.stdout + result.stderr, secrets)).toEqual([]);
    }
  });
});
