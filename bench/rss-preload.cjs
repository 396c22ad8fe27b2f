// Preloaded with `node --require` into each Node tool the benchmark runs: at exit it appends the process's own peak
// RSS (getrusage maxRSS, in KiB) to BENCH_RSS_FILE. Exact for the process, unlike polling, which can miss a last spike.
'use strict';
const fs = require('node:fs');

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      fs.appendFileSync(file, `${process.pid} ${process.resourceUsage().maxRSS}\n`);
    } catch {
      // The measurement is best effort; never change the tool's exit.
    }
  });
}
