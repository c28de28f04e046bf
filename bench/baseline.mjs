// (a) The physical floor: read every file as bytes, cut at newline bytes, decode each line on
// its own and JSON.parse it, nothing else. Prints what it did as JSON on stdout. Reads block:
// on this machine a round trip through libuv's thread pool per megabyte made the floor about
// 2 s per GB slower (7.0 s against 5.1 s for the 1 GB corpus), and the floor is the fastest way.
//
//   node bench/baseline.mjs <corpus.json> [threads]
//
// With threads > 1 the same work runs on that many worker threads at once, which take the
// files largest first from a shared counter: the best the floor can do on that many cores,
// with no order to keep and no thread left alone with a long session at the end.
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const CHUNK = 1 << 20;
// One read buffer for every file: a fresh megabyte per file costs page faults in every read.
const chunk = Buffer.allocUnsafe(CHUNK);

function parseFile(filePath) {
  const fd = openSync(filePath, 'r');
  let pending = [];
  let lines = 0;
  let sink = 0;
  const consume = (bytes, start, end) => {
    if (end <= start) return;
    const value = JSON.parse(bytes.utf8Slice(start, end));
    // Touch the result so the parse cannot be skipped.
    if (value !== null && typeof value === 'object') sink += 1;
    lines += 1;
  };
  try {
    for (;;) {
      const bytesRead = readSync(fd, chunk, 0, CHUNK, null);
      if (bytesRead === 0) break;
      const bytes = chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = bytes.indexOf(10, start); nl !== -1; nl = bytes.indexOf(10, start)) {
        if (pending.length > 0) {
          pending.push(bytes.subarray(start, nl));
          const joined = Buffer.concat(pending);
          pending = [];
          consume(joined, 0, joined.length);
        } else {
          consume(bytes, start, nl);
        }
        start = nl + 1;
      }
      if (start < bytes.length) pending.push(Buffer.from(bytes.subarray(start)));
    }
    if (pending.length > 0) {
      const joined = Buffer.concat(pending);
      try {
        consume(joined, 0, joined.length);
      } catch {
        // A cut-off last line is not JSON; real readers skip it too.
      }
    }
  } finally {
    closeSync(fd);
  }
  return { lines, objects: sink };
}

/** Parses the files whose indexes a shared counter hands out until none is left; returns the lines. */
function parseClaimed(files, next) {
  let lines = 0;
  for (let i = Atomics.add(next, 0, 1); i < files.length; i = Atomics.add(next, 0, 1)) lines += parseFile(files[i]).lines;
  return lines;
}

/** Runs `threads` workers over the files, largest first; resolves with the lines they parsed. */
async function parseOnThreads(files, threads) {
  const bySize = [...files].sort((x, y) => y.bytes - x.bytes).map((file) => file.path);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: { files: bySize, next } });
          worker.once('message', resolve);
          worker.once('error', reject);
          // After its report this is a no-op; before it, the thread died without one.
          worker.once('exit', (code) => reject(new Error(`a floor thread exited with ${code} before it reported`)));
        }),
    ),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

if (isMainThread) {
  const manifestPath = process.argv[2];
  const threads = Math.max(1, Number(process.argv[3] ?? 1));
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
  const root = path.dirname(manifestPath);
  const files = manifest.files.map((file) => ({ path: path.join(root, file.path), bytes: file.bytes }));
  const started = performance.now();
  let lines = 0;
  if (threads === 1) {
    for (const file of files) lines += parseFile(file.path).lines;
  } else {
    lines = await parseOnThreads(files, threads);
  }
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  process.stdout.write(`${JSON.stringify({ lines, bytes, threads, ms: performance.now() - started })}\n`);
} else {
  parentPort.postMessage(parseClaimed(workerData.files, workerData.next));
}
