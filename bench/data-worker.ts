/**
 * One measurement of `pnpm bench data` in its own process, so peak RSS is its own: `read FILE`
 * (a whole table into memory) or `convert IN OUT` (streamed). Prints `RESULT {json}`.
 *
 *   node --import tsx bench/data-worker.ts read /tmp/t.csv.gz
 */
import { convertTable, readTable } from '@dlpipe/data';

const [mode, a, b] = process.argv.slice(2);
const t0 = performance.now();
let rows = 0;
if (mode === 'read' && a) {
  rows = (await readTable(a)).nRows;
} else if (mode === 'convert' && a && b) {
  rows = (await convertTable(a, b, { inferRows: 'all' })).rows;
} else {
  throw new Error(
    `usage: data-worker.ts read FILE | convert IN OUT (got ${process.argv.slice(2).join(' ')})`,
  );
}
const seconds = (performance.now() - t0) / 1000;
const maxRssMB = process.resourceUsage().maxRSS / 1024;
console.log(`RESULT ${JSON.stringify({ seconds, maxRssMB, rows })}`);
