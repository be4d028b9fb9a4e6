/**
 * The crawl step of `pnpm demo`: serves the plant shop under data/scrape/site on 127.0.0.1, runs
 * the demo-shop job on it (SQLite store in `outDir`), and exports the dataset (JSONL, CSV,
 * Feather) and the image manifest.
 *
 *   const r = await crawlDemoSite('runs/demo/scrape');
 *   // { pages: 20, records: 15, images: 12, exported: ['runs/demo/scrape/demo-shop/1/dataset.jsonl', …] }
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CrawlProgressBar,
  exportRun,
  loadJob,
  openSqliteStore,
  runJob,
  serveLocalSite,
  storePath,
} from '@dlpipe/scrape';

/** The repository's data/scrape directory (site and jobs). */
export const DEMO_DATA_DIR = fileURLToPath(new URL('../../../data/scrape/', import.meta.url));

/** Options of `crawlDemoSite`. */
export interface CrawlDemoOptions {
  /** Show a progress bar on stderr. Default true. */
  progress?: boolean;
  /** Where warnings go. Default stderr. */
  log?: (line: string) => void;
}

export interface CrawlDemoResult {
  /** Pages crawled (done). */
  pages: number;
  records: number;
  images: number;
  /** Pages left out (robots.txt) or failed. */
  skipped: number;
  failed: number;
  /** The files written: dataset in each format, image manifest. */
  exported: string[];
  runDir: string;
}

export async function crawlDemoSite(
  outDir: string,
  options: CrawlDemoOptions = {},
): Promise<CrawlDemoResult> {
  const site = await serveLocalSite({ root: join(DEMO_DATA_DIR, 'site') });
  const store = openSqliteStore(storePath(outDir));
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bar = options.progress === false ? undefined : new CrawlProgressBar({ label: 'crawl demo-shop' });
  try {
    const job = await loadJob(join(DEMO_DATA_DIR, 'jobs', 'demo-shop.yaml'), {
      ...process.env,
      SITE_URL: site.url,
    });
    const r = await runJob(job, {
      store,
      storageDir: outDir,
      trigger: 'demo',
      fresh: true,
      log: (level, m) => level === 'warn' && log(`crawl: ${m}`),
      onProgress: (p) => bar?.update(p),
    });
    bar?.done();
    const exported: string[] = [];
    for (const format of ['jsonl', 'csv', 'feather'] as const) {
      exported.push((await exportRun(store, r.run.id, { format, storageDir: outDir })).path);
    }
    exported.push(
      (await exportRun(store, r.run.id, { format: 'csv', storageDir: outDir, what: 'images' })).path,
    );
    if (r.manifest) exported.push(r.manifest);
    const c = r.summary.counts;
    return {
      pages: c.done,
      records: r.summary.records,
      images: r.summary.images,
      skipped: c.skipped,
      failed: c.failed,
      exported,
      runDir: r.runDir,
    };
  } finally {
    await store.close();
    await site.close();
  }
}
