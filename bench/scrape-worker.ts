/**
 * One cell of `pnpm bench scrape`, in its own process so its memory is its own: crawls the bench
 * site with dlpipe's `Crawler` (robots.txt, per-host gate, retries, SQLite queue and dataset, link
 * discovery, extraction) or with a bare playwright loop over the same URLs (`page.goto`, then one
 * `page.evaluate` that reads the h1 — the least a scraper does; `--mode bare-goto` skips the read),
 * at a concurrency. Writes `RESULT {json}`: pages, seconds, pages/s, the peak RSS of the process
 * with its browser processes (sum) and the peak RSS of the Node process alone.
 *
 *   node --import tsx bench/scrape-worker.ts --mode crawler --concurrency 4 --site http://127.0.0.1:4000 --pages 501
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_FLAGS, Crawler, findChromium, openSqliteStore } from '@dlpipe/scrape';

/** The part of playwright-core's API the bare loop uses (loaded from @dlpipe/scrape's dependency). */
interface BarePage {
  goto(url: string, o: { waitUntil: 'load'; timeout: number }): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
}
interface BareBrowser {
  newContext(): Promise<{ newPage(): Promise<BarePage> }>;
  close(): Promise<void>;
}
const { chromium } = createRequire(new URL('../packages/scrape/package.json', import.meta.url))(
  'playwright-core',
) as {
  chromium: {
    launch(o: { executablePath: string; headless: boolean; args: string[] }): Promise<BareBrowser>;
  };
};

/**
 * Resident memory of this process and all its descendants (the browser's processes), in bytes:
 * the sum of their VmRSS (Linux /proc; pages shared between Chromium's processes count once per
 * process, as `ps` and `top` count them). Reading /proc/<pid>/status is cheap, unlike smaps (PSS),
 * whose page-table walk took a quarter of a core at 5 Hz and slowed the measured crawl.
 */
function treeRss(root: number): number {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone
    }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    try {
      const rss = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      total += Number(rss?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

async function bare(urls: string[], concurrency: number, read: boolean): Promise<number> {
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [...CHROMIUM_FLAGS],
  });
  const context = await browser.newContext();
  let next = 0;
  let pages = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const page = await context.newPage();
      while (next < urls.length) {
        const url = urls[next++]!;
        await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
        if (!read || (await page.evaluate("document.querySelector('h1')?.textContent")) !== undefined)
          pages++;
      }
    }),
  );
  await browser.close();
  return pages;
}

async function crawler(site: string, concurrency: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'dlpipe-bench-scrape-'));
  const store = openSqliteStore(join(dir, 'scrape.sqlite'));
  try {
    const run = await store.runs.create({ job: 'bench', trigger: 'bench' });
    const c = new Crawler({
      startUrls: [`${site}/`],
      maxConcurrency: concurrency,
      maxConcurrencyPerHost: concurrency,
      delayMs: 0,
      queue: store.queue(run.id),
      dataset: store.dataset(run.id),
      extract: { fields: { title: 'h1' } },
    });
    const s = await c.run();
    if (s.counts.failed) throw new Error(`${s.counts.failed} pages failed`);
    return s.counts.done;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      mode: { type: 'string' },
      concurrency: { type: 'string' },
      site: { type: 'string' },
      pages: { type: 'string' },
    },
  });
  const concurrency = Number(values.concurrency);
  const site = values.site!;
  const n = Number(values.pages);
  const urls = [`${site}/`, ...Array.from({ length: n - 1 }, (_, i) => `${site}/p/${i}`)];
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeRss(process.pid));
  }, 250);
  const t0 = performance.now();
  const pages =
    values.mode === 'crawler'
      ? await crawler(site, concurrency)
      : await bare(urls, concurrency, values.mode === 'bare');
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const nodeRssMb = process.resourceUsage().maxRSS / 1024;
  const result = { pages, seconds, pagesPerS: pages / seconds, peakRssMb: peak / 2 ** 20, nodeRssMb };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((err: unknown) => {
  process.stdout.write(`ERROR ${JSON.stringify({ message: (err as Error).message })}\n`);
  process.exitCode = 1;
});
