// Preloaded into the CLI by robustness.test.ts (node -r): on exit, writes the process's peak resident memory (KB)
// and CPU time to the file named by BREAKWATER_MEASURE. Figures for the README, never assertions.
'use strict';
const out = process.env.BREAKWATER_MEASURE;
if (out) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    require('node:fs').writeFileSync(out, JSON.stringify({ maxRssKb: usage.maxRSS, cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) }));
  });
}
