// Per-MB parse rate of the largest session of a format beside that of its small sessions
// (under 1 MB), in one thread: parse, derive, serialize, as a worker does per file. Equal
// rates mean time grows in proportion to size (no quadratic behaviour on long sessions).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [manifestPath, format, repoRoot] = process.argv.slice(2);
const core = await import(pathToFileURL(path.join(repoRoot, 'packages/core/dist/index.js')).href);
const packageDir = format === 'claude_code' ? 'format-claude-code' : 'format-codex';
await import(pathToFileURL(path.join(repoRoot, 'packages', packageDir, 'dist/index.js')).href);
const handler = core.defaultRegistry().get(format);

const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
const corpusDir = path.dirname(manifestPath);
const formatRoot = path.join(corpusDir, 'home', format === 'claude_code' ? '.claude/projects' : '.codex/sessions');
const mine = manifest.files.filter((file) => file.format === format);
const toManifestFile = (file) => ({
  path: path.join(corpusDir, file.path),
  relativePath: path.relative(formatRoot, path.join(corpusDir, file.path)),
  size: file.bytes,
});
const signal = new AbortController().signal;
const context = await handler.buildParseContext({
  root: formatRoot,
  files: mine.map((file) => toManifestFile(file).relativePath).sort(),
  signal,
  warn: () => {},
});

async function measure(files) {
  const started = performance.now();
  let bytes = 0;
  let rows = 0;
  for (const file of files) {
    const outcome = await core.parseOneFile(handler, context, toManifestFile(file), { root: formatRoot, signal, strict: false });
    // Sized from the file, as the reader and the parse workers do.
    if (outcome.status === 'parsed') rows += core.encodeRows(outcome.rows, file.bytes).rows;
    bytes += file.bytes;
  }
  const seconds = (performance.now() - started) / 1000;
  return { files: files.length, bytes, rows, seconds, mbPerSecond: bytes / 1024 / 1024 / seconds };
}

const largest = mine.reduce((a, b) => (b.bytes > a.bytes ? b : a));
const small = mine.filter((file) => file.bytes < 1024 * 1024);
// Warm up the JIT on a few small files first, so neither measurement pays for it alone.
await measure(small.slice(0, 50));
const smallResult = await measure(small);
const largestResult = await measure([largest]);
process.stdout.write(
  `${JSON.stringify({ format, small: smallResult, largest: { ...largestResult, lines: largest.lines, path: largest.path } })}\n`,
);
