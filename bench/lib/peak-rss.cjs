// Preloaded (node --require) into measured Node processes when GNU time is absent: on
// exit, appends the process's own peak RSS in KiB (ru_maxrss) to WPSN_BENCH_PEAK_FILE.
'use strict';
const { appendFileSync } = require('node:fs');

const file = process.env.WPSN_BENCH_PEAK_FILE;
if (file) {
  process.on('exit', () => {
    try {
      appendFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // The benchmark reports a missing reading.
    }
  });
}
