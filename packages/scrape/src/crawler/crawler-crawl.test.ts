/**
 * What the crawler collects, in real Chromium on the local test site: pagination with CSS
 * extraction, JS-rendered content, duplicate URLs, off-site links, depth and page limits,
 * extraction functions, images with their manifest and screenshots.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NonRetryableError } from '../errors.js';
import { type LocalSite, serveLocalSite } from '../site/local-site.js';
import { outcomes } from '../testing/outcomes.js';
import { startTestSite, type TestSite } from '../testing/test-site.js';
import { Crawler } from './crawler.js';

const FAST = {
  delayMs: 0,
  backoff: { baseMs: 20, maxMs: 100 },
  maxRetries: 1,
  maxConcurrency: 4,
  maxConcurrencyPerHost: 4,
};
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-crawl-'));
let site: TestSite;
let offsite: LocalSite;
before(async () => {
  offsite = await serveLocalSite({
    host: '127.0.0.2',
    handler: (_q, res) => {
      res.end('<h1>elsewhere</h1>');
      return true;
    },
  });
  site = await startTestSite({ offsite: `${offsite.url}/x` });
});
after(async () => {
  await site.close();
  await offsite.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function records(c: Crawler): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const r of c.dataset.records()) out.push(r.data);
  return out;
}

describe('crawling', () => {
  it('walks pagination, extracts items and detail pages with CSS (lists, numbers, tables)', async () => {
    const c = new Crawler({
      ...FAST,
      startUrls: [`${site.url}/list?page=1`],
      pagination: { next: 'a[rel=next]' },
      include: ['/item/*'],
      extract: [
        {
          match: '/list',
          items: '.item',
          fields: {
            name: 'h2',
            price: { selector: '.price', type: 'number' },
            tags: { selector: '.tag', all: true },
          },
        },
        { match: '/item/*', fields: { title: 'h1', specs: { selector: 'table.specs', table: true } } },
      ],
    });
    const s = await c.run();
    assert.deepEqual(s.counts, { pending: 0, in_progress: 0, done: 12, failed: 0, skipped: 0 });
    const rows = await records(c);
    const items = rows.filter((r) => 'price' in r);
    assert.deepEqual(
      items.map((r) => [r.name, r.price]),
      Array.from({ length: 9 }, (_, i) => [`Item ${i + 1}`, (i + 1) * 1000 + 99.5]),
    );
    assert.deepEqual(items[0]!.tags, ['t1', 'all']);
    const item7 = rows.find((r) => r.title === 'Item 7')!;
    assert.deepEqual(item7.specs, [
      { key: 'id', value: '7' },
      { key: 'color', value: 'c1' },
    ]);
    assert.equal(item7.url, `${site.url}/item/7`);
    const o = await outcomes(c.queue, site.url);
    assert.equal(o.get('/list?page=3')!.depth, 0, 'pagination does not count toward depth');
  });

  it('waits for JS-rendered content and sees links it adds', async () => {
    const c = new Crawler({
      ...FAST,
      startUrls: [`${site.url}/js`],
      maxDepth: 1,
      extract: { match: '/js', waitFor: 'p.rendered', fields: { text: 'p.rendered' } },
    });
    const s = await c.run();
    assert.deepEqual(
      (await records(c)).map((r) => r.text),
      ['rendered by JS'],
    );
    assert.equal(s.counts.done, 2, 'the late link to /item/99 was followed');
  });

  it('fetches each page once: fragments, query order, host case and tracking parameters do not matter', async () => {
    const c = new Crawler({ ...FAST, startUrls: [`${site.url}/dupes`, `${site.url}/dupes#again`] });
    const s = await c.run();
    assert.equal(s.counts.done, 2);
    assert.equal(site.hits.get('/q?a=1&b=2'), 1);
    assert.equal(site.hits.get('/q?b=2&a=1'), undefined);
  });

  it('never leaves the site: off-site links are not followed', async () => {
    const c = new Crawler({ ...FAST, startUrls: [`${site.url}/offsite`] });
    const s = await c.run();
    assert.equal(offsite.hits.size, 0, 'nothing requested from 127.0.0.2');
    assert.deepEqual([...(await outcomes(c.queue, site.url)).keys()].sort(), ['/item/1', '/offsite']);
    assert.equal(s.counts.done, 2);
  });

  it('stops at maxDepth and maxPages', async () => {
    const deep = new Crawler({ ...FAST, startUrls: [`${site.url}/list?page=1`], maxDepth: 0 });
    assert.equal((await deep.run()).counts.done, 1);
    const capped = new Crawler({
      ...FAST,
      startUrls: [`${site.url}/list?page=1`],
      maxPages: 3,
      maxConcurrency: 2,
    });
    const s = await capped.run();
    assert.equal(s.reason, 'max-pages');
    assert.equal(s.counts.done, 3);
    assert.ok(s.counts.pending > 0);
  });

  it('runs an extraction function: records, extra links, retries on errors, NonRetryableError fails at once', async () => {
    let calls = 0;
    const c = new Crawler({
      ...FAST,
      startUrls: [`${site.url}/item/1`, `${site.url}/item/2`, `${site.url}/item/3`],
      linkSelector: false,
      extract: async ({ page, url, enqueue }) => {
        const title = await page.locator('h1').textContent();
        if (url.endsWith('/item/1'))
          enqueue(['/item/50', `${site.url}/item/51#x`].map((u) => new URL(u, url).href));
        if (url.endsWith('/item/2') && calls++ === 0) throw new Error('flaky parser');
        if (url.endsWith('/item/3'))
          throw new NonRetryableError(url, 'no price on the page; the layout changed');
        return [{ title }, { title, copy: true }];
      },
    });
    const s = await c.run();
    const o = await outcomes(c.queue, site.url);
    assert.deepEqual([o.get('/item/2')!.status, o.get('/item/2')!.attempts], ['done', 1]);
    assert.deepEqual([o.get('/item/3')!.status, o.get('/item/3')!.attempts], ['failed', 1]);
    assert.match(o.get('/item/3')!.error!, /no price on the page/);
    assert.equal(o.get('/item/51')!.status, 'done');
    assert.equal(s.records, 8, '4 pages × 2 records');
  });

  it('downloads images with a manifest (file, source, alt, page) and takes screenshots', async () => {
    const outDir = join(tmp, 'media');
    const c = new Crawler({
      ...FAST,
      startUrls: [`${site.url}/item/41`, `${site.url}/item/42`],
      linkSelector: false,
      images: { match: '/item/*' },
      screenshots: true,
      outDir,
      extract: { fields: { title: 'h1' } },
    });
    const s = await c.run();
    assert.equal(s.images, 2);
    const images = [];
    for await (const img of c.dataset.images()) images.push(img);
    const first = images[0]!;
    const bytes = readFileSync(join(outDir, 'images', first.file));
    assert.equal(first.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(first.file, `${first.sha256}.png`);
    assert.deepEqual(
      [first.src, first.alt, first.pageUrl, first.width, first.height, first.contentType],
      [`${site.url}/img/41.png`, 'Photo of item 41', `${site.url}/item/41`, 8, 8, 'image/png'],
    );
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    assert.equal(site.hits.get('/img/41.png'), 1, 'the browser-loaded bytes were reused, not fetched again');
    const rows = await records(c);
    for (const r of rows) assert.ok(existsSync(join(outDir, String(r.screenshot))), String(r.screenshot));
  });
});
