/** The in-page extraction script, in real Chromium on hand-written HTML with hand-derived expectations. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BrowserPool, type PageLease } from '../browser/browser-pool.js';
import { resolveFields } from './extract-spec.js';
import { runPageScript } from './page-script.js';

let pool: BrowserPool;
let lease: PageLease;
before(async () => {
  pool = await BrowserPool.launch({ maxPages: 1 });
  lease = await pool.acquire();
});
after(() => pool.close());

const HTML = `<html><head><title>  Shop
  page </title><base href="http://shop.test/dir/"></head><body>
<div class="p" data-id="1"><h2> Fern <b>XL</b> </h2><span class="price">$1,299.50</span><a href="item/1?x=1">more</a>
  <i class="tag">a</i><i class="tag">b</i><img src="/img/1.png" alt=" A fern "></div>
<div class="p" data-id="2"><h2>Fig</h2><span class="price">free</span><i class="tag">c</i><img src="data:image/png;base64,AA" alt="x"></div>
<div class="p" data-id="3"><span class="price">3</span></div>
<table id="t1"><tr><th>k</th><th>v</th></tr><tr><td>a</td><td>1</td></tr><tr><td>b</td></tr></table>
<table id="t2"><tr><td>x</td><td>y</td></tr></table>
<a rel="next" href="?page=2">next</a><a href="mailto:a@b.c">mail</a><a>no href</a><a href="">empty</a>
</body></html>`;

describe('page script', () => {
  it('fields: text, attributes as absolute URLs, numbers, lists, tables, items, required', async () => {
    await lease.page.setContent(HTML);
    const out = await runPageScript(lease.page, {
      extractors: [
        {
          items: '.p',
          fields: resolveFields({
            name: { selector: 'h2', required: true },
            id: { attr: 'data-id', type: 'number' },
            price: { selector: '.price', type: 'number' },
            link: { selector: 'a', attr: 'href' },
            tags: { selector: '.tag', all: true },
            html: { selector: 'h2', html: true },
          }),
        },
        {
          fields: resolveFields({
            title: 'title',
            t1: { selector: '#t1', table: true },
            t2: { selector: '#t2', table: true },
            none: '.missing',
          }),
        },
      ],
      links: 'a[href]',
      next: 'a[rel=next]',
      images: 'img',
    });
    assert.deepEqual(out.records[0], [
      {
        name: 'Fern XL',
        id: 1,
        price: 1299.5,
        link: 'http://shop.test/dir/item/1?x=1',
        tags: ['a', 'b'],
        html: ' Fern <b>XL</b> ',
      },
      { name: 'Fig', id: 2, price: null, link: null, tags: ['c'], html: 'Fig' },
    ]);
    assert.deepEqual(out.records[1], [
      {
        title: 'Shop page',
        t1: [
          { k: 'a', v: '1' },
          { k: 'b', v: null },
        ],
        t2: [['x', 'y']],
        none: null,
      },
    ]);
    assert.deepEqual(out.links, [
      'http://shop.test/dir/item/1?x=1',
      'http://shop.test/dir/?page=2',
      'mailto:a@b.c',
      'http://shop.test/dir/',
    ]);
    assert.deepEqual(out.next, ['http://shop.test/dir/?page=2']);
    assert.deepEqual(out.images, [
      { src: 'http://shop.test/img/1.png', alt: 'A fern', width: undefined, height: undefined },
    ]);
    assert.equal(out.title, 'Shop page');
  });
});
