/**
 * Step 1 of `pnpm demo`: serve the clothing shop (Fashion-MNIST test images as product photos)
 * on 127.0.0.1 and crawl it in headless Chromium with data/scrape/jobs/fashion-shop.yaml —
 * robots.txt honoured, retries, photos downloaded and hashed — then export the dataset (JSONL,
 * Feather) and the image manifest. The products' true categories are written apart, to
 * `<out>/shop/truth.jsonl`, for scoring only: no later step reads them except to score.
 *
 *   const r = await crawlShop('runs/demo', { seed: 42 });
 *   // { pages: 1546, products: 1500, images: 1492, skipped: 1, failed: 0, … }  + runs/demo/scrape/crawl.json
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DlpipeError, ensureDir, writeFileAtomic } from '@dlpipe/core';
import { loadMnistFormat } from '@dlpipe/data';
import { CrawlProgressBar, exportRun, loadJob, openSqliteStore, runJob, storePath } from '@dlpipe/scrape';
import { buildCatalog, type CatalogOptions, SHOP_CATEGORIES } from '../shop/catalog.js';
import { serveShop } from '../shop/serve-shop.js';
import { type CrawlOutput, writeStepFile } from './step-files.js';

/** The crawl job of the demo shop. */
export const SHOP_JOB = fileURLToPath(
  new URL('../../../../data/scrape/jobs/fashion-shop.yaml', import.meta.url),
);

export interface CrawlShopOptions extends Pick<CatalogOptions, 'size' | 'labeledShare'> {
  seed?: number;
  /** Progress bar on stderr. Default true. */
  progress?: boolean;
  /** Warnings (failed pages). Default stderr. */
  log?: (line: string) => void;
}

export async function crawlShop(out: string, o: CrawlShopOptions = {}): Promise<CrawlOutput> {
  const started = performance.now();
  const seed = o.seed ?? 42;
  const fmnist = loadMnistFormat('fashion-mnist');
  const catalog = buildCatalog(fmnist.test, { seed, size: o.size, labeledShare: o.labeledShare });
  const dir = join(out, 'scrape');
  ensureDir(dir, 'crawl output folder');
  ensureDir(join(out, 'shop'), 'shop truth folder');
  const truthFile = join(out, 'shop', 'truth.jsonl');
  await writeFileAtomic(
    truthFile,
    `${catalog.products
      .map((p) =>
        JSON.stringify({
          sku: p.sku,
          category: SHOP_CATEGORIES[p.truth],
          title_kind: p.titleKind,
          photo_defect: p.defect,
          fashion_mnist_test_index: p.imageIndex,
        }),
      )
      .join('\n')}\n`,
  );
  const site = await serveShop(catalog, fmnist.test);
  const store = openSqliteStore(storePath(dir));
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const bar = o.progress === false ? undefined : new CrawlProgressBar({ label: 'crawl fashion-shop' });
  try {
    const job = await loadJob(SHOP_JOB, { ...process.env, SITE_URL: site.url });
    const r = await runJob(job, {
      store,
      storageDir: dir,
      trigger: 'demo',
      fresh: true,
      log: (level, m) => level === 'warn' && log(`crawl: ${m}`),
      onProgress: (p) => bar?.update(p),
    });
    bar?.done();
    const dataset = (await exportRun(store, r.run.id, { format: 'jsonl', storageDir: dir })).path;
    const feather = (await exportRun(store, r.run.id, { format: 'feather', storageDir: dir })).path;
    if (!r.manifest) {
      throw new DlpipeError(
        'DEMO_NO_IMAGES',
        `the crawl of ${site.url} saved no images (see ${r.runDir}): nothing to label`,
        {
          exitCode: 1,
        },
      );
    }
    const c = r.summary.counts;
    const result: CrawlOutput = {
      pages: c.done,
      products: r.summary.records,
      images: r.summary.images,
      skipped: c.skipped,
      failed: c.failed,
      dataset,
      feather,
      manifest: r.manifest,
      runDir: r.runDir,
      truth: truthFile,
      categories: [...SHOP_CATEGORIES],
      seed,
      seconds: (performance.now() - started) / 1000,
    };
    await writeStepFile(out, 'crawl', result);
    return result;
  } finally {
    await store.close();
    await site.close();
  }
}
