// Preloaded into every measured process (NODE_OPTIONS=--require): on exit, writes the process's
// peak resident set size (kB, from getrusage) to the file named by BENCH_RSS_FILE. Measuring from
// inside each child is what makes peak RSS honest: each figure runs in its own process.
'use strict';
// Only the main thread writes: the figure is the whole process's (worker threads included), read last.
const file = process.env.BENCH_RSS_FILE;
if (file && require('node:worker_threads').isMainThread) {
  process.on('exit', () => {
    require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
