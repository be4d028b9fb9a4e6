import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RetryRequestError } from '../errors.js';
import { type LocalSite, serveLocalSite } from '../site/local-site.js';
import { RobotsCache } from './robots-cache.js';

let site: LocalSite;
let status = 200;
before(async () => {
  site = await serveLocalSite({
    handler: (_req, res, url) => {
      if (url.pathname !== '/robots.txt') return false;
      if (status === 200)
        res
          .writeHead(200, { 'content-type': 'text/plain' })
          .end('User-agent: *\nDisallow: /no/\nCrawl-delay: 1.5\n');
      else res.writeHead(status).end('x');
      return true;
    },
  });
});
after(() => site.close());

describe('RobotsCache', () => {
  it('fetches robots.txt once per origin and applies it', async () => {
    status = 200;
    const robots = new RobotsCache({ userAgent: 'dlpipe-scrape' });
    assert.deepEqual(await robots.check(`${site.url}/no/x`), { allowed: false, rule: 'Disallow: /no/' });
    assert.equal((await robots.check(`${site.url}/yes`)).allowed, true);
    assert.equal(await robots.crawlDelayMs(`${site.url}/`), 1500);
    assert.equal(site.hits.get('/robots.txt'), 1);
  });

  it('4xx means no rules; 5xx and network errors mean "not now" (RetryRequestError), refetched after failureTtlMs', async () => {
    status = 404;
    site.hits.clear();
    assert.equal((await new RobotsCache({ userAgent: 'x' }).check(`${site.url}/no/x`)).allowed, true);
    status = 503;
    const robots = new RobotsCache({ userAgent: 'x', failureTtlMs: 50 });
    await assert.rejects(
      robots.check(`${site.url}/a`),
      (e: unknown) => e instanceof RetryRequestError && /HTTP 503/.test(e.message),
    );
    await assert.rejects(robots.check(`${site.url}/b`), RetryRequestError);
    assert.equal(site.hits.get('/robots.txt'), 2, 'the failure is remembered for a while');
    await new Promise((r) => setTimeout(r, 80));
    status = 200;
    assert.equal((await robots.check(`${site.url}/no/x`)).allowed, false);
    const refused = new RobotsCache({ userAgent: 'x' });
    await assert.rejects(
      refused.check('http://127.0.0.1:9/x'),
      (e: unknown) => e instanceof RetryRequestError && /unreachable/.test(e.message),
    );
  });
});
