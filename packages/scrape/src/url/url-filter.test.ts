import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { siteOf, UrlFilter } from './url-filter.js';

describe('UrlFilter', () => {
  const start = ['http://shop.example.com:8080/'];

  it('same-site (default) follows subdomains, other ports and schemes of the registrable domain only', () => {
    const f = new UrlFilter({ startUrls: start });
    assert.ok(f.accepts('http://shop.example.com:8080/a'));
    assert.ok(f.accepts('https://cdn.example.com/b'));
    assert.ok(f.accepts('http://example.com:9999/c'));
    assert.ok(!f.accepts('http://example.org/'));
    assert.ok(!f.accepts('http://notexample.com/'));
    assert.ok(!f.accepts('ftp://shop.example.com/'));
  });

  it('same-host, same-origin and any', () => {
    const host = new UrlFilter({ startUrls: start, scope: 'same-host' });
    assert.ok(host.accepts('https://shop.example.com:8080/x'));
    assert.ok(!host.accepts('http://shop.example.com/x'));
    const origin = new UrlFilter({ startUrls: start, scope: 'same-origin' });
    assert.ok(origin.accepts('http://shop.example.com:8080/x'));
    assert.ok(!origin.accepts('https://shop.example.com:8080/x'));
    assert.ok(new UrlFilter({ startUrls: start, scope: 'any' }).accepts('http://other.org/'));
  });

  it('include and exclude: path globs, URL globs and regexes; exclude wins', () => {
    const f = new UrlFilter({
      startUrls: start,
      include: ['/products/**', 'http://shop.example.com:8080/list?page=*', { regex: '/blog/\\d{4}/' }],
      exclude: ['/products/*/reviews', { regex: 'sort=', flags: 'i' }],
    });
    assert.ok(f.accepts('http://shop.example.com:8080/products/12'));
    assert.ok(f.accepts('http://shop.example.com:8080/products/a/b'));
    assert.ok(!f.accepts('http://shop.example.com:8080/products/12/reviews'));
    assert.ok(f.accepts('http://shop.example.com:8080/list?page=2'));
    assert.ok(f.accepts('http://shop.example.com:8080/blog/2024/x'));
    assert.ok(!f.accepts('http://shop.example.com:8080/products/1?SORT=asc'));
    assert.ok(!f.accepts('http://shop.example.com:8080/about'));
  });

  it('siteOf approximates registrable domains', () => {
    assert.equal(siteOf('a.b.example.com'), 'example.com');
    assert.equal(siteOf('www.bbc.co.uk'), 'bbc.co.uk');
    assert.equal(siteOf('127.0.0.1'), '127.0.0.1');
    assert.equal(siteOf('localhost'), 'localhost');
    assert.equal(siteOf('x.io'), 'x.io');
  });
});
