/** The demo shop: a deterministic catalog whose true categories never reach the site. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ImageSplit } from '@dlpipe/data';
import type { LocalSite } from '@dlpipe/scrape';
import sharp from 'sharp';
import { buildCatalog, type Catalog, SHOP_CATEGORIES } from './catalog.js';
import { PAGE_SIZE } from './pages.js';
import { PHOTO_SIZE, serveShop } from './serve-shop.js';

/** 300 synthetic 28×28 "images", class i % 10, pixel value = class·20 + 10. */
function fakeSplit(n = 300): ImageSplit {
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10;
    images.fill((i % 10) * 20 + 10, i * 784, (i + 1) * 784);
  }
  return { images, labels, n, rows: 28, cols: 28 };
}

describe('buildCatalog', () => {
  const split = fakeSplit();
  const cat = buildCatalog(split, { seed: 7, size: 200, missingImages: 3, corruptImages: 2 });

  it('is the same for the same seed and differs for another', () => {
    assert.deepEqual(buildCatalog(split, { seed: 7, size: 200, missingImages: 3, corruptImages: 2 }), cat);
    assert.notDeepEqual(buildCatalog(split, { seed: 8, size: 200 }).products[0], cat.products[0]);
  });

  it('shows the category on 5% of the products, the same number per class, truly', () => {
    const shown = cat.products.filter((p) => p.shownCategory !== null);
    assert.equal(shown.length, 10);
    for (let c = 0; c < 10; c++) assert.equal(shown.filter((p) => p.truth === c).length, 1);
    for (const p of shown) assert.equal(p.shownCategory, SHOP_CATEGORIES[p.truth]);
    for (const p of cat.products) assert.equal(p.truth, split.labels[p.imageIndex]);
  });

  it('has unique SKUs and photo names, and broken photos only on unlabeled products', () => {
    assert.equal(new Set(cat.products.map((p) => p.sku)).size, 200);
    assert.equal(new Set(cat.products.map((p) => p.photo)).size, 200);
    const broken = cat.products.filter((p) => p.defect !== 'none');
    assert.deepEqual(broken.map((p) => p.defect).sort(), [
      'corrupt',
      'corrupt',
      'missing',
      'missing',
      'missing',
    ]);
    assert.ok(broken.every((p) => p.shownCategory === null));
  });
});

describe('serveShop', () => {
  const split = fakeSplit();
  let cat: Catalog;
  let site: LocalSite;
  before(async () => {
    cat = buildCatalog(split, { seed: 3, size: 120, missingImages: 1, corruptImages: 1 });
    site = await serveShop(cat, split);
  });
  after(() => site.close());
  const get = (path: string) => fetch(site.url + path);

  it('serves robots.txt that keeps crawlers out of /cart/, and paginated collections', async () => {
    assert.match(await (await get('/robots.txt')).text(), /Disallow: \/cart\//);
    const home = await (await get('/')).text();
    const first = /href="(\/c\/[a-z-]+\/1\.html)"/.exec(home)![1]!;
    const page = await (await get(first)).text();
    assert.ok((page.match(/class="item"/g) ?? []).length <= PAGE_SIZE);
    assert.equal((await get('/c/outlet/999.html')).status, 404);
  });

  it('product pages carry no true category except where it is shown', async () => {
    for (const p of cat.products.slice(0, 40)) {
      const html = await (await get(`/p/${p.sku}.html`)).text();
      assert.ok(html.includes(`<p class="sku">${p.sku}</p>`));
      assert.equal(html.includes('class="category"'), p.shownCategory !== null, p.sku);
      assert.ok(!html.toLowerCase().includes('truth'));
      assert.match(html, /id="reviews-data"/);
    }
  });

  it('photos are 96×96 PNGs of the image; missing ones 404, corrupt ones are truncated', async () => {
    const ok = cat.products.find((p) => p.defect === 'none')!;
    const png = Buffer.from(await (await get(`/img/${ok.photo}`)).arrayBuffer());
    const meta = await sharp(png).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [PHOTO_SIZE, PHOTO_SIZE, 'png']);
    const missing = cat.products.find((p) => p.defect === 'missing')!;
    assert.equal((await get(`/img/${missing.photo}`)).status, 404);
    const corrupt = cat.products.find((p) => p.defect === 'corrupt')!;
    const bad = Buffer.from(await (await get(`/img/${corrupt.photo}`)).arrayBuffer());
    await assert.rejects(sharp(bad).raw().toBuffer());
  });
});
