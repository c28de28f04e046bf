// Preloaded with `node --import` into every measured child: at exit it writes the process's
// peak resident set size (all threads, workers included) to the file named by BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    // resourceUsage().maxRSS is in kilobytes (getrusage's ru_maxrss).
    writeFileSync(target, `${process.resourceUsage().maxRSS * 1024}\n`);
  });
}
