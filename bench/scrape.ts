/**
 * `pnpm bench scrape` — crawl throughput next to a bare playwright loop: ~500 local pages at
 * concurrency 1, 4 and 8, dlpipe's `Crawler` with all its machinery on (robots.txt, per-host
 * gate with delay 0, retries, SQLite queue and dataset, link discovery and de-duplication, CSS
 * extraction) against `page.goto` over the same URLs, in the same run. Each cell runs in its own
 * process (scrape-worker.ts); pages/s include browser start and close for both. Target: the
 * crawler at ≥ 90% of the bare loop's pages/s.
 *
 *   pnpm bench scrape                 pnpm bench scrape --json --pages 200 --concurrency 1,8 --repeat 3
 */
import { parseArgs } from 'node:util';
import { median } from './lib/measure.js';
import { runWorker } from './lib/worker.js';
import { serveBenchSite } from './scrape-site.js';

const USAGE =
  'usage: pnpm bench scrape [--json] [--pages 500] [--concurrency 1,4,8] [--repeat 1] [--bare read|goto]';

interface Measurement {
  pages: number;
  seconds: number;
  pagesPerS: number;
  /** Peak RSS of the worker and its browser processes (sum of VmRSS), MB. */
  peakRssMb: number;
  /** Peak RSS of the worker's Node process alone, MB. */
  nodeRssMb: number;
}

/** One row of the report: both contestants at one concurrency. */
export interface ScrapeRow {
  concurrency: number;
  crawler: Measurement;
  bare: Measurement;
  /** crawler pages/s ÷ bare pages/s. */
  ratio: number;
}

interface ScrapeBenchOptions {
  json: boolean;
  pages: number;
  concurrency: number[];
  repeat: number;
  /** The bare loop reads the h1 after each goto ('read', default) or only navigates ('goto'). */
  bare: 'read' | 'goto';
}

function parse(argv: string[]): ScrapeBenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      pages: { type: 'string', default: '500' },
      concurrency: { type: 'string', default: '1,4,8' },
      repeat: { type: 'string', default: '1' },
      bare: { type: 'string', default: 'read' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const pages = Number(values.pages);
  const repeat = Number(values.repeat);
  const concurrency = values.concurrency.split(',').map(Number);
  if (!Number.isInteger(pages) || pages < 10)
    throw new Error(`--pages must be an integer ≥ 10, got '${values.pages}'`);
  if (!Number.isInteger(repeat) || repeat < 1)
    throw new Error(`--repeat must be an integer ≥ 1, got '${values.repeat}'`);
  if (concurrency.some((c) => !Number.isInteger(c) || c < 1 || c > 64)) {
    throw new Error(`--concurrency must be integers in 1..64, got '${values.concurrency}'`);
  }
  if (values.bare !== 'read' && values.bare !== 'goto')
    throw new Error(`--bare must be read or goto, got '${values.bare}'`);
  return { json: values.json, pages, concurrency, repeat, bare: values.bare };
}

async function cell(
  mode: 'crawler' | 'bare' | 'bare-goto',
  concurrency: number,
  site: string,
  pages: number,
): Promise<Measurement> {
  const out = await runWorker(
    'scrape-worker.ts',
    ['--mode', mode, '--concurrency', String(concurrency), '--site', site, '--pages', String(pages)],
    { budgetS: 600, env: { DLPIPE_QUIET: '1' } },
  );
  const r = out.result as Measurement | undefined;
  if (!r) throw new Error(`${mode} at concurrency ${concurrency}: ${out.timedOut ? 'timed out' : out.error}`);
  return r;
}

/** The median run (by pages/s) of several. */
function middle(ms: Measurement[]): Measurement {
  const m = median(ms.map((x) => x.pagesPerS));
  return ms.find((x) => x.pagesPerS === m)!;
}

export function renderScrapeTable(rows: readonly ScrapeRow[]): string {
  const head = [
    'concurrency',
    'crawler pages/s',
    'bare pages/s',
    'ratio',
    'crawler peak RSS',
    'bare peak RSS',
  ];
  head.push('crawler node RSS', 'bare node RSS');
  const mb = (x: number) => `${x.toFixed(0)} MB`;
  const body = rows.map((r) => [
    String(r.concurrency),
    r.crawler.pagesPerS.toFixed(1),
    r.bare.pagesPerS.toFixed(1),
    `${(r.ratio * 100).toFixed(0)}%`,
    mb(r.crawler.peakRssMb),
    mb(r.bare.peakRssMb),
    mb(r.crawler.nodeRssMb),
    mb(r.bare.nodeRssMb),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  return [head, ...body].map((r) => r.map((c, i) => c.padStart(widths[i]!)).join('  ')).join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const o = parse(argv);
  if (o === 'help') {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const site = await serveBenchSite(o.pages);
  const rows: ScrapeRow[] = [];
  try {
    for (const concurrency of o.concurrency) {
      const runs: Record<'crawler' | 'bare', Measurement[]> = { crawler: [], bare: [] };
      for (let i = 0; i < o.repeat; i++) {
        // alternate who goes first, so drift in the machine's load hits both alike
        for (const mode of i % 2 === 0 ? (['bare', 'crawler'] as const) : (['crawler', 'bare'] as const)) {
          process.stderr.write(`[scrape] ${mode} at concurrency ${concurrency} (${i + 1}/${o.repeat})…\n`);
          const workerMode = mode === 'bare' && o.bare === 'goto' ? 'bare-goto' : mode;
          const m = await cell(workerMode, concurrency, site.url, site.urls.length);
          process.stderr.write(
            `[scrape]   ${m.pages} pages in ${m.seconds.toFixed(1)} s: ${m.pagesPerS.toFixed(1)} pages/s\n`,
          );
          runs[mode].push(m);
        }
      }
      const crawler = middle(runs.crawler);
      const bare = middle(runs.bare);
      rows.push({ concurrency, crawler, bare, ratio: crawler.pagesPerS / bare.pagesPerS });
    }
  } finally {
    await site.close();
  }
  if (o.json) console.log(JSON.stringify({ pages: site.urls.length, bare: o.bare, rows }));
  else {
    console.log(
      `${site.urls.length} local pages; bare loop: goto${o.bare === 'read' ? ' + read h1' : ' only'}; pages/s include browser start and close; peak RSS = Node + browser ` +
        'processes (sum of VmRSS), node RSS = the Node process alone\n',
    );
    console.log(renderScrapeTable(rows));
    const worst = Math.min(...rows.map((r) => r.ratio));
    console.log(`\nworst ratio ${(worst * 100).toFixed(0)}% (target ≥ 90%)`);
  }
  return 0;
}
