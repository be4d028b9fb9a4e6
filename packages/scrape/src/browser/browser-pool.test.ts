import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BrowserPool, CHROMIUM_FLAGS, DEFAULT_PAGE_USES } from './browser-pool.js';

describe('BrowserPool page reuse', () => {
  let pool: BrowserPool;
  before(async () => {
    pool = await BrowserPool.launch({ maxPages: 1, maxPageUses: 3 });
  });
  after(() => pool.close());

  it('lends the same page until it has served maxPageUses requests, then a fresh one', async () => {
    const pages = [];
    for (let i = 0; i < 7; i++) {
      const lease = await pool.acquire();
      pages.push(lease.page);
      assert.equal(lease.uses, (i % 3) + 1);
      pool.release(lease, true);
    }
    assert.equal(new Set(pages).size, 3, 'uses 1-3, 4-6, 7 on three pages');
  });

  it('an unhealthy or stopped page is replaced at once; the defaults retire pages after 100 and keep no back-forward cache', async () => {
    const a = await pool.acquire();
    pool.release(a, false);
    const b = await pool.acquire();
    assert.notEqual(b.page, a.page);
    assert.equal(b.uses, 1);
    pool.release(b, true);
    // a page whose navigation the guard stopped may still commit the stop later: never reused
    const c = await pool.acquire();
    c.guard.tripped = { kind: 'too-large', bytes: 1 };
    pool.release(c, true);
    const d = await pool.acquire();
    assert.notEqual(d.page, c.page);
    pool.release(d, true);
    assert.equal(DEFAULT_PAGE_USES, 100);
    assert.ok(CHROMIUM_FLAGS.includes('--disable-features=BackForwardCache'));
  });
});
