/**
 * Records every TensorFlow.js module a process loads, for tests that prove a path stays light:
 * module imports through a resolve hook (tfjs-trace-hooks.mjs), CommonJS requires from
 * require.cache at exit. One path a line in the file named by TFJS_TRACE_FILE.
 *
 *   TFJS_TRACE_FILE=/tmp/t node --import ./apps/scrape/src/testing/tfjs-trace.mjs apps/scrape/bin/dlpipe-scrape.mjs --help
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const file = process.env.TFJS_TRACE_FILE;
if (file) {
  register(new URL('./tfjs-trace-hooks.mjs', import.meta.url), { data: { file } });
  const cache = createRequire(import.meta.url).cache;
  process.on('exit', () => {
    const required = Object.keys(cache).filter((p) => p.includes('/node_modules/@tensorflow/'));
    if (required.length) appendFileSync(file, required.map((p) => `require ${p}\n`).join(''));
  });
}
