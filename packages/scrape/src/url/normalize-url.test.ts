import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostKey, normalizeUrl } from './normalize-url.js';

describe('normalizeUrl', () => {
  it('gives one key to the same page written differently', () => {
    const variants = [
      'HTTP://Example.COM:80/a/./b/../c?b=2&a=1#top',
      'http://example.com/a/c?a=1&b=2',
      'http://example.com/a/c?a=1&b=2#other',
      'http://example.com/a/c?a=1&utm_source=news&b=2',
      '  http://user:pw@example.com/a/c?b=2&a=1 ',
    ];
    for (const v of variants) assert.equal(normalizeUrl(v), 'http://example.com/a/c?a=1&b=2', v);
  });

  it('keeps what changes the page: path case, trailing slash, repeated keys in order, https port', () => {
    assert.equal(normalizeUrl('http://a.io/A'), 'http://a.io/A');
    assert.notEqual(normalizeUrl('http://a.io/x/'), normalizeUrl('http://a.io/x'));
    assert.equal(normalizeUrl('http://a.io/?k=2&j=0&k=1'), 'http://a.io/?j=0&k=2&k=1');
    assert.equal(normalizeUrl('https://a.io:8443/'), 'https://a.io:8443/');
    assert.equal(normalizeUrl('https://a.io:443/'), 'https://a.io/');
    assert.equal(normalizeUrl('http://a.io/?'), 'http://a.io/');
  });

  it('resolves relative links against a base and rejects non-http(s)', () => {
    assert.equal(normalizeUrl('../x?b=1#f', 'http://a.io/p/q/r'), 'http://a.io/p/x?b=1');
    for (const bad of [
      'mailto:a@b.c',
      'javascript:void(0)',
      'ftp://a.io/',
      'data:text/html,x',
      'http://',
      'http://[bad',
    ]) {
      assert.equal(normalizeUrl(bad, 'http://a.io/'), undefined, bad);
    }
  });

  it('can keep tracking parameters and query order', () => {
    assert.equal(
      normalizeUrl('http://a.io/?utm_x=1&b=1&a=2', undefined, {
        dropTrackingParams: false,
        sortQuery: false,
      }),
      'http://a.io/?utm_x=1&b=1&a=2',
    );
  });

  it('hostKey is host and port', () => {
    assert.equal(hostKey('http://127.0.0.1:8080/x'), '127.0.0.1:8080');
    assert.equal(hostKey('https://a.io/x'), 'a.io');
  });
});
