// Preloaded into every measured process (NODE_OPTIONS=--require): on exit, writes the process's
// peak resident set size (kB, from getrusage) to the file named by BENCH_RSS_FILE. Measuring from
// inside each child is what makes peak RSS honest: each figure runs in its own process.
'use strict';
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
