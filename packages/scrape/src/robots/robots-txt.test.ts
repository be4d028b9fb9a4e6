/**
 * robots.txt matching: hand-checked cases from RFC 9309 (§2.2.2 longest match, Allow wins ties,
 * `*` and `$`, groups) and Google's robots.txt documentation, then a cross-check against the
 * `robots-parser` package (npm, v3.0.1) on a mixed file.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { parseRobotsTxt, productToken } from './robots-txt.js';

const UA = 'dlpipe-scrape/0.1 (+https://example.com)';

describe('robots.txt', () => {
  it('longest match wins and Allow wins a tie (RFC 9309 §2.2.2)', () => {
    const r = parseRobotsTxt(
      'User-agent: *\nDisallow: /example/\nAllow: /example/page/\nDisallow: /example/page/disallowed.gif\n',
    );
    assert.equal(r.isAllowed('/example/page/', UA), true);
    assert.equal(r.isAllowed('/example/page/x.html', UA), true);
    assert.equal(r.isAllowed('/example/page/disallowed.gif', UA), false);
    assert.equal(r.isAllowed('/example/other', UA), false);
    assert.equal(r.isAllowed('/elsewhere', UA), true);
    const tie = parseRobotsTxt('User-agent: *\nDisallow: /page\nAllow: /page\n');
    assert.equal(tie.isAllowed('/page', UA), true);
    assert.deepEqual(r.verdict('/example/x', UA), { allowed: false, rule: 'Disallow: /example/' });
  });

  it('wildcards and end anchors (Google examples)', () => {
    const r = parseRobotsTxt(
      'User-agent: *\nDisallow: /*.gif$\nDisallow: /fish*.php\nAllow: /*?ok=1\nDisallow: /$\n',
    );
    assert.equal(r.isAllowed('/a/b.gif', UA), false);
    assert.equal(r.isAllowed('/a/b.gif?x=1', UA), true);
    assert.equal(r.isAllowed('/fish.php', UA), false);
    assert.equal(r.isAllowed('/fishheads/catfish.php?id=1', UA), false);
    assert.equal(r.isAllowed('/Fish.php', UA), true);
    assert.equal(r.isAllowed('/', UA), false);
    assert.equal(r.isAllowed('/index.html', UA), true);
    assert.equal(r.isAllowed('http://h.io/x?ok=1', UA), true);
  });

  it('picks its own group (case-insensitive product token), merges repeats, falls back to *', () => {
    const text = [
      'User-agent: *',
      'Disallow: /',
      '',
      'User-agent: DLPIPE-Scrape',
      'User-agent: otherbot',
      'Disallow: /private/',
      'Crawl-delay: 2',
      '',
      'User-agent: dlpipe-scrape',
      'Disallow: /tmp/',
      'Crawl-delay: 0.5',
      'Sitemap: http://h.io/sitemap.xml',
    ].join('\r\n');
    const r = parseRobotsTxt(text);
    assert.equal(r.isAllowed('/public', UA), true);
    assert.equal(r.isAllowed('/private/x', UA), false);
    assert.equal(r.isAllowed('/tmp/x', UA), false);
    assert.equal(r.isAllowed('/private/x', 'OtherBot/2'), false);
    assert.equal(r.isAllowed('/public', 'OtherBot/2'), true);
    assert.equal(r.isAllowed('/public', 'somebot'), false);
    assert.equal(r.crawlDelayMs(UA), 2000);
    assert.equal(r.crawlDelayMs('somebot'), undefined);
    assert.deepEqual(r.sitemaps, ['http://h.io/sitemap.xml']);
  });

  it('ignores comments, junk, empty Disallow and rules before any group; /robots.txt is always allowed', () => {
    const r = parseRobotsTxt(
      '\uFEFFDisallow: /early\n# c\nUser-agent: * # all\nDisallow:\nnonsense line\nDisallow: /x # note\n',
    );
    assert.equal(r.isAllowed('/early', UA), true);
    assert.equal(r.isAllowed('/x/y', UA), false);
    assert.equal(r.isAllowed('/', UA), true);
    assert.equal(parseRobotsTxt('User-agent: *\nDisallow: /').isAllowed('/robots.txt', UA), true);
  });

  it('compares percent-encodings canonically', () => {
    const r = parseRobotsTxt('User-agent: *\nDisallow: /%7Ejoe/\nDisallow: /a%2fb\n');
    assert.equal(r.isAllowed('/~joe/index.html', UA), false);
    assert.equal(r.isAllowed('/a%2Fb', UA), false);
    assert.equal(r.isAllowed('/a/b', UA), true);
  });

  it('agrees with robots-parser (npm) on a mixed file', () => {
    const require = createRequire(import.meta.url);
    const robotsParser = require('robots-parser') as (
      url: string,
      text: string,
    ) => {
      isAllowed(u: string, ua: string): boolean | undefined;
      getCrawlDelay(ua: string): number | undefined;
    };
    const text =
      'User-agent: *\nDisallow: /shop/\nAllow: /shop/items/\nDisallow: /*.pdf$\nDisallow: /search*q=\nCrawl-delay: 3\n\nUser-agent: dlpipe-scrape\nDisallow: /nope\nAllow: /nope/yes\n';
    const reference = robotsParser('http://h.io/robots.txt', text);
    const ours = parseRobotsTxt(text);
    const paths = [
      '/',
      '/shop/',
      '/shop/x',
      '/shop/items/1',
      '/a.pdf',
      '/a.pdf?x',
      '/search?q=1',
      '/search',
      '/nope',
      '/nope/yes',
      '/nope/no',
    ];
    for (const agent of [UA, 'somebot/1.0']) {
      for (const p of paths)
        assert.equal(
          ours.isAllowed(p, agent),
          reference.isAllowed(`http://h.io${p}`, agent),
          `${agent} ${p}`,
        );
      assert.equal(
        ours.crawlDelayMs(agent),
        (reference.getCrawlDelay(agent) ?? Number.NaN) * 1000 || undefined,
        agent,
      );
    }
  });

  it('productToken', () => {
    assert.equal(productToken('Mozilla/5.0 (X11)'), 'mozilla');
    assert.equal(productToken(' Bot '), 'bot');
  });
});
