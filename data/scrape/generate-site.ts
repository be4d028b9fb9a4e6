/**
 * Writes the demo site under data/scrape/site: a tiny plant shop with a paginated catalog, product
 * pages (price, care table, tags, a photo with alt text), reviews rendered by JavaScript from a
 * JSON file, a robots.txt that disallows /private/, and 64×64 PNG "photos" drawn here.
 *
 *   npx tsx data/scrape/generate-site.ts
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../../packages/scrape/src/site/png.js';

const root = join(import.meta.dirname, 'site');
const PLANTS = [
  ['monstera', 'Monstera deliciosa', 24.5, 'bright indirect', 'weekly', 'easy', [46, 125, 50]],
  ['fiddle-fig', 'Fiddle-leaf fig', 39, 'bright', 'weekly', 'hard', [85, 139, 47]],
  ['snake-plant', 'Snake plant', 15.25, 'low to bright', 'monthly', 'easy', [104, 159, 56]],
  ['pothos', 'Golden pothos', 9.99, 'low to bright', 'weekly', 'easy', [174, 213, 129]],
  ['zz-plant', 'ZZ plant', 18, 'low', 'monthly', 'easy', [27, 94, 32]],
  ['calathea', 'Calathea orbifolia', 29.9, 'medium', 'twice a week', 'hard', [129, 199, 132]],
  ['peace-lily', 'Peace lily', 16.75, 'low to medium', 'weekly', 'easy', [56, 142, 60]],
  ['string-of-pearls', 'String of pearls', 12.4, 'bright', 'every two weeks', 'medium', [156, 204, 101]],
  ['bird-of-paradise', 'Bird of paradise', 54, 'bright direct', 'weekly', 'medium', [67, 160, 71]],
  ['aloe', 'Aloe vera', 8.5, 'bright direct', 'every three weeks', 'easy', [124, 179, 66]],
  ['rubber-plant', 'Rubber plant', 27, 'bright indirect', 'weekly', 'medium', [33, 33, 33]],
  ['maidenhair', 'Maidenhair fern', 13.6, 'medium', 'every two days', 'hard', [102, 187, 106]],
] as const;
const PER_PAGE = 4;

const page = (title: string, body: string, depth = 0) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} · Fern &amp; Fig</title>
<link rel="stylesheet" href="${'../'.repeat(depth)}style.css"></head>
<body><nav><a href="${'../'.repeat(depth)}index.html">Fern &amp; Fig</a></nav>
${body}
</body></html>
`;

function photo([r, g, b]: readonly [number, number, number], seed: number): Buffer {
  return encodePng(64, 64, (x, y) => {
    const pot = y > 44 && Math.abs(x - 32) < 14 - (y - 44) / 4;
    if (pot) return [184, 92, 56];
    const dx = x - 32;
    const dy = y - 26;
    const leaf = dx * dx + dy * dy * 1.6 < 380 + 120 * Math.sin((x + seed) / 5);
    return leaf ? [r + ((x * seed) % 20), g, b] : [245, 240, 230];
  });
}

function write(rel: string, content: string | Buffer): void {
  const file = join(root, rel);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, content);
}

rmSync(root, { recursive: true, force: true });
const pages = Math.ceil(PLANTS.length / PER_PAGE);
write(
  'robots.txt',
  '# demo site robots.txt\nUser-agent: *\nDisallow: /private/\n\nUser-agent: slowbot\nCrawl-delay: 10\n',
);
write(
  'style.css',
  'body{font-family:sans-serif;max-width:40em;margin:auto}.product{display:inline-block;width:9em}\n',
);
write(
  'index.html',
  page(
    'Home',
    `<h1>Fern &amp; Fig</h1><p>A tiny plant shop.</p><ul>
<li><a href="catalog/page-1.html">Catalog</a></li><li><a href="reviews.html">Reviews</a></li>
<li><a href="about.html#team">About us</a></li><li><a href="private/stock.html">Stock (staff only)</a></li>
<li><a href="https://example.com/partner">Our partner (another site)</a></li><li><a href="mailto:hello@example.com">Mail</a></li></ul>`,
  ),
);
write(
  'about.html',
  page('About', '<h1 id="team">About us</h1><p>Two people and many plants.</p><a href="index.html">Home</a>'),
);
write('private/stock.html', page('Stock', '<h1>Stock</h1><p>Not for crawlers.</p>', 1));
for (let p = 1; p <= pages; p++) {
  const cards = PLANTS.slice((p - 1) * PER_PAGE, p * PER_PAGE).map(
    ([slug, name, price]) => `<div class="product"><a href="../products/${slug}.html">
<img src="../images/${slug}.png" alt="${name} in a terracotta pot" width="64" height="64"><h2>${name}</h2></a>
<span class="price">$${price.toFixed(2)}</span></div>`,
  );
  const prev = p > 1 ? `<a rel="prev" href="page-${p - 1}.html">previous</a>` : '';
  const next = p < pages ? `<a rel="next" href="page-${p + 1}.html?sort=name">next</a>` : '';
  write(
    `catalog/page-${p}.html`,
    page(
      `Catalog ${p}`,
      `<h1>Catalog, page ${p} of ${pages}</h1>\n${cards.join('\n')}\n<p>${prev} ${next}</p>`,
      1,
    ),
  );
}
PLANTS.forEach(([slug, name, price, light, water, difficulty, color], i) => {
  const tags = [difficulty, light.includes('low') ? 'low-light' : 'sunny'];
  write(
    `products/${slug}.html`,
    page(
      name,
      `<h1>${name}</h1><p class="price">$${price.toFixed(2)}</p>
<img class="photo" src="../images/${slug}.png" alt="${name} in a terracotta pot" width="64" height="64">
<p class="description">${name} likes ${light} light and water ${water}.</p>
<table class="care"><tr><th>light</th><th>water</th><th>difficulty</th></tr><tr><td>${light}</td><td>${water}</td><td>${difficulty}</td></tr></table>
<ul class="tags">${tags.map((t) => `<li>${t}</li>`).join('')}</ul>`,
      1,
    ),
  );
  write(`images/${slug}.png`, photo(color, i + 3));
});
write(
  'reviews.json',
  `${JSON.stringify(
    [
      { author: 'Ana', stars: 5, text: 'The monstera arrived in perfect shape.' },
      { author: 'Ben', stars: 4, text: 'Pothos grows like mad, as promised.' },
      { author: 'Chloé', stars: 3, text: 'My calathea sulks, but the care table helped.' },
    ],
    null,
    1,
  )}\n`,
);
write(
  'reviews.js',
  `fetch('reviews.json').then((r) => r.json()).then((reviews) => {
  document.getElementById('reviews').innerHTML = reviews.map((r) =>
    '<div class="review"><b class="author">' + r.author + '</b> <span class="stars" data-stars="' + r.stars + '">' +
    '★'.repeat(r.stars) + '</span><p class="text">' + r.text + '</p></div>').join('');
});
`,
);
write(
  'reviews.html',
  page('Reviews', '<h1>Reviews</h1><div id="reviews">Loading…</div><script src="reviews.js"></script>'),
);
console.log(`wrote ${root}`);
