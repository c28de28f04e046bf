// Ingest to JSONL through core's batch path, as `agent-rollout ingest` can use it: workers
// parse, redact and serialize each file, and the main thread only writes their bytes
// (readRolloutBatches + the JSONL sink's writeEncoded). Prints the row count as JSON.
//
//   node bench/ingest-api.mjs <home> <out.jsonl> <workers> <redact: on|off>
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [home, out, workers, redact] = process.argv.slice(2);
const repoRoot = path.resolve(import.meta.dirname, '..');
const core = await import(pathToFileURL(path.join(repoRoot, 'packages/core/dist/index.js')).href);
await import(pathToFileURL(path.join(repoRoot, 'packages/format-claude-code/dist/index.js')).href);
await import(pathToFileURL(path.join(repoRoot, 'packages/format-codex/dist/index.js')).href);

const sources = [
  { format: 'claude_code', path: path.join(home, '.claude', 'projects') },
  { format: 'codex', path: path.join(home, '.codex', 'sessions') },
];
const sink = core.createJsonlSink({ path: out });
await sink.open();
let rows = 0;
for (const source of sources) {
  const read = core.readRolloutBatches(source, {
    executor: core.createWorkerExecutor({ workers: Number(workers) }),
    ...(redact === 'on' ? { redaction: { homeDir: home } } : {}),
  });
  for await (const batch of read) await sink.writeEncoded(batch);
  rows += read.report.rows;
}
await sink.close();
process.stdout.write(`${JSON.stringify({ rows })}\n`);
