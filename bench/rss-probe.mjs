// Preloaded with `node --import` into every measured child: at exit it writes the process's
// peak resident set size (all threads, workers included) and the CPU time it used (all
// threads) as JSON to the file named by BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_RSS_FILE;
if (target) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    // maxRSS is in kilobytes (getrusage's ru_maxrss); CPU times in microseconds.
    const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
    writeFileSync(target, `${JSON.stringify({ peakRss: usage.maxRSS * 1024, cpuSeconds })}\n`);
  });
}
