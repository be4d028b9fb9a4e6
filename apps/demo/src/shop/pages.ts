/**
 * The HTML of the demo shop ("Thread & Loom"): a home page listing the collections, collection
 * pages of 48 products with rel=next pagination, product pages (title, SKU, price, photo, a
 * breadcrumb that names the category on a few pages, reviews rendered by JavaScript from JSON
 * embedded in the page, related products), robots.txt and the reviews script.
 *
 *   productPage(catalog.products[0], related);  // '<!doctype html>…'
 */
import { type Catalog, type Product, SHOP_COLLECTIONS } from './catalog.js';

export const SHOP_NAME = 'Thread & Loom';
/** Products per collection page. */
export const PAGE_SIZE = 48;

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function collectionName(c: string): string {
  return c.replace(/-/g, ' ').replace(/^./, (x) => x.toUpperCase());
}

function layout(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · ${escapeHtml(SHOP_NAME)}</title>
<link rel="stylesheet" href="/style.css"></head>
<body><header><a class="home" href="/">${escapeHtml(SHOP_NAME)}</a> <a href="/about.html">About</a> <a href="/cart/">Cart</a></header>
${body}${script}</body></html>`;
}

/** Products of each collection, in catalog order. */
export function collections(catalog: Catalog): Map<string, Product[]> {
  const m = new Map<string, Product[]>(SHOP_COLLECTIONS.map((c) => [c, []]));
  for (const p of catalog.products) m.get(p.collection)!.push(p);
  return m;
}

export function homePage(catalog: Catalog): string {
  const items = [...collections(catalog)]
    .map(([c, ps]) => `<li><a href="/c/${c}/1.html">${collectionName(c)}</a> (${ps.length})</li>`)
    .join('');
  return layout('Home', `<h1>${escapeHtml(SHOP_NAME)}</h1><ul class="collections">${items}</ul>`);
}

export function aboutPage(): string {
  return layout('About', '<h1>About</h1><p>Clothes and accessories, photographed in our studio.</p>');
}

/** Page `page` (1-based) of a collection, or undefined past its end. */
export function collectionPage(products: Product[], collection: string, page: number): string | undefined {
  const pages = Math.max(1, Math.ceil(products.length / PAGE_SIZE));
  if (!Number.isInteger(page) || page < 1 || page > pages) return undefined;
  const items = products
    .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
    .map(
      (p) =>
        `<li class="item"><a href="/p/${p.sku}.html">${escapeHtml(p.title)}</a> <span class="price">$${p.price.toFixed(2)}</span></li>`,
    )
    .join('');
  const prev = page > 1 ? `<a rel="prev" href="/c/${collection}/${page - 1}.html">Previous</a>` : '';
  const next = page < pages ? `<a rel="next" href="/c/${collection}/${page + 1}.html">Next</a>` : '';
  return layout(
    collectionName(collection),
    `<h1>${collectionName(collection)}</h1><p>Page ${page} of ${pages}</p><ul class="items">${items}</ul><nav class="pages">${prev} ${next}</nav>`,
  );
}

export function productPage(p: Product, related: Product[]): string {
  const category = p.shownCategory ? ` › <span class="category">${escapeHtml(p.shownCategory)}</span>` : '';
  const rel = related.map((r) => `<li><a href="/p/${r.sku}.html">${escapeHtml(r.title)}</a></li>`).join('');
  return layout(
    p.title,
    `<nav class="breadcrumb"><a href="/">Home</a> › <a class="collection" href="/c/${p.collection}/1.html">${collectionName(p.collection)}</a>${category}</nav>
<main class="product" data-sku="${p.sku}"><h1>${escapeHtml(p.title)}</h1>
<p class="sku">${p.sku}</p><p class="price">$${p.price.toFixed(2)}</p>
<img class="photo" src="/img/${p.photo}" alt="${escapeHtml(p.title)}" width="96" height="96">
<p class="description">Made in small batches. Machine wash cold, dry flat.</p>
<section id="reviews" data-state="loading"><h2>Reviews</h2></section>
<h2>You may also like</h2><ul class="related">${rel}</ul></main>`,
    `<script type="application/json" id="reviews-data">${JSON.stringify(p.reviews).replace(/</g, '\\u003c')}</script><script src="/reviews.js"></script>`,
  );
}

export const ROBOTS_TXT = `# ${SHOP_NAME}
User-agent: *
Disallow: /cart/
Disallow: /api/internal/
`;

export const STYLE_CSS = `body{font-family:sans-serif;margin:2em}header a{margin-right:1em}.price{color:#070}
.photo{image-rendering:auto;border:1px solid #ddd}.review{border-top:1px solid #eee;padding:.3em 0}`;

/**
 * Renders the reviews from the page's inline JSON (`#reviews-data`) into `#reviews` as the page
 * parses; `data-state` becomes 'done' (or 'error'). Without JavaScript there are no reviews.
 */
export const REVIEWS_JS = `(() => {
  const box = document.getElementById('reviews');
  try {
    const reviews = JSON.parse(document.getElementById('reviews-data').textContent);
    if (reviews.length === 0) box.insertAdjacentHTML('beforeend', '<p class="no-reviews">No reviews yet.</p>');
    for (const r of reviews) {
      const div = document.createElement('div');
      div.className = 'review';
      div.innerHTML = '<span class="author"></span> <span class="stars"></span> <p class="text"></p>';
      div.querySelector('.author').textContent = r.author;
      div.querySelector('.stars').textContent = '\u2605'.repeat(r.stars);
      div.querySelector('.stars').dataset.stars = String(r.stars);
      div.querySelector('.text').textContent = r.text;
      box.appendChild(div);
    }
    box.dataset.state = 'done';
  } catch (e) {
    box.dataset.state = 'error';
  }
})();
`;
