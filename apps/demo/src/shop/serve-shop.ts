/**
 * Serves the demo shop on 127.0.0.1 (a free port): pages from `pages.ts`, product photos made
 * from Fashion-MNIST test images (dyed, on a studio-white background, upscaled to 96×96 PNG with
 * sharp), robots.txt, and the broken photos the catalog asks for (404s,
 * truncated PNGs). The true categories are not served anywhere.
 *
 *   const shop = await serveShop(catalog, fashionMnist.test);
 *   shop.url;  // 'http://127.0.0.1:41234'
 *   await shop.close();
 */
import type { ImageSplit } from '@dlpipe/data';
import { type LocalSite, serveLocalSite } from '@dlpipe/scrape';
import sharp from 'sharp';
import type { Catalog, Product } from './catalog.js';
import {
  aboutPage,
  collectionPage,
  collections,
  homePage,
  productPage,
  REVIEWS_JS,
  ROBOTS_TXT,
  STYLE_CSS,
} from './pages.js';

/** Photo size on the site, in pixels. */
export const PHOTO_SIZE = 96;
const BACKGROUND = [246, 244, 240];

/** The product photo: the Fashion-MNIST image dyed and upscaled, as PNG bytes. */
export async function renderPhoto(p: Product, split: ImageSplit): Promise<Buffer> {
  const { rows, cols } = split;
  const px = split.images.subarray(p.imageIndex * rows * cols, (p.imageIndex + 1) * rows * cols);
  const rgb = Buffer.alloc(rows * cols * 3);
  for (let i = 0; i < rows * cols; i++) {
    const a = px[i]! / 255;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = Math.round(BACKGROUND[c]! * (1 - a) + p.dye[c]! * a);
  }
  return sharp(rgb, { raw: { width: cols, height: rows, channels: 3 } })
    .resize(PHOTO_SIZE, PHOTO_SIZE, { kernel: 'cubic' })
    .png()
    .toBuffer();
}

/** Three other products of the same collection, chosen by position (deterministic). */
function relatedOf(p: Product, col: Product[]): Product[] {
  const i = col.indexOf(p);
  return [7, 19, 31].map((k) => col[(i + k) % col.length]!).filter((r) => r !== p);
}

function send(res: import('node:http').ServerResponse, type: string, body: string | Buffer): true {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
  return true;
}

export async function serveShop(catalog: Catalog, split: ImageSplit): Promise<LocalSite> {
  const bySku = new Map(catalog.products.map((p) => [p.sku, p]));
  const byPhoto = new Map(catalog.products.map((p) => [p.photo, p]));
  const cols = collections(catalog);
  const photos = new Map<string, Promise<Buffer>>();
  const html = 'text/html; charset=utf-8';
  return serveLocalSite({
    handler: async (_req, res, url) => {
      const path = url.pathname;
      if (path === '/' || path === '/index.html') return send(res, html, homePage(catalog));
      if (path === '/about.html') return send(res, html, aboutPage());
      if (path === '/robots.txt') return send(res, 'text/plain; charset=utf-8', ROBOTS_TXT);
      if (path === '/style.css') return send(res, 'text/css; charset=utf-8', STYLE_CSS);
      if (path === '/reviews.js') return send(res, 'text/javascript; charset=utf-8', REVIEWS_JS);
      let m = /^\/c\/([a-z-]+)\/(\d+)\.html$/.exec(path);
      if (m && cols.has(m[1]!)) {
        const page = collectionPage(cols.get(m[1]!)!, m[1]!, Number(m[2]));
        if (page) return send(res, html, page);
      }
      m = /^\/p\/([A-Z0-9-]+)\.html$/.exec(path);
      const product = m ? bySku.get(m[1]!) : undefined;
      if (product)
        return send(res, html, productPage(product, relatedOf(product, cols.get(product.collection)!)));
      m = /^\/img\/([0-9a-f]+\.png)$/.exec(path);
      const pictured = m ? byPhoto.get(m[1]!) : undefined;
      if (pictured && pictured.defect !== 'missing') {
        if (!photos.has(pictured.photo)) photos.set(pictured.photo, renderPhoto(pictured, split));
        const png = await photos.get(pictured.photo)!;
        return send(res, 'image/png', pictured.defect === 'corrupt' ? png.subarray(0, png.length >> 1) : png);
      }
      res.writeHead(404, { 'content-type': html }).end('<h1>404 Not Found</h1>');
      return true;
    },
  });
}
