/** The crawl step `pnpm demo` calls: the shipped site, crawled and exported. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { crawlDemoSite } from './crawl-demo-site.js';

const out = mkdtempSync(join(tmpdir(), 'dlpipe-demo-crawl-'));
after(() => rmSync(out, { recursive: true, force: true }));

it('crawls data/scrape/site and exports the dataset and image manifest', async () => {
  const r = await crawlDemoSite(out, { progress: false });
  // index, 3 catalog pages (+ page 2 under a second URL), 12 products, reviews; /private/ skipped by robots.txt
  assert.deepEqual([r.pages, r.skipped, r.failed, r.records, r.images], [18, 1, 0, 15, 12]);
  const names = [
    'dataset.jsonl',
    'dataset.csv',
    'dataset.feather',
    'images/manifest.csv',
    'images/manifest.jsonl',
  ];
  assert.deepEqual(
    r.exported,
    names.map((n) => join(r.runDir, n)),
  );
  for (const f of r.exported) assert.ok(existsSync(f), f);
  const manifest = readFileSync(join(r.runDir, 'images/manifest.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(manifest.length, 12);
  assert.ok(
    manifest.every(
      (m) => / in a terracotta pot$/.test(m.alt) && existsSync(join(r.runDir, 'images', m.file)),
    ),
  );
});
