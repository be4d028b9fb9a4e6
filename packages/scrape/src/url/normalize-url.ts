/**
 * URL normalization for de-duplication: the same page reached as `HTTP://Host:80/a?b=2&a=1#top`
 * and `http://host/a?a=1&b=2` gets one key, so it is fetched once.
 *
 *   normalizeUrl('HTTP://Example.com:80/a/../b?z=1&a=2#x'); // 'http://example.com/b?a=2&z=1'
 *   normalizeUrl('mailto:x@y.z');                          // undefined (not http/https)
 */

/** Options of `normalizeUrl`. */
export interface NormalizeUrlOptions {
  /** Drop `utm_*` tracking parameters. Default true. */
  dropTrackingParams?: boolean;
  /** Sort query parameters by name (stable for repeated names). Default true. */
  sortQuery?: boolean;
}

const TRACKING = /^utm_/i;

/**
 * The canonical form of an http(s) URL (lower-case scheme and host, no default port, dot segments
 * resolved, no fragment, query sorted, no empty `?`), or undefined for anything else.
 */
export function normalizeUrl(
  input: string,
  base?: string,
  options: NormalizeUrlOptions = {},
): string | undefined {
  let u: URL;
  try {
    u = new URL(input.trim(), base);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  u.hash = '';
  u.username = '';
  u.password = '';
  const params = [...u.searchParams.entries()].filter(
    ([k]) => !(options.dropTrackingParams ?? true) || !TRACKING.test(k),
  );
  if (options.sortQuery ?? true) params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  u.search = params.length ? new URLSearchParams(params).toString() : '';
  return u.href;
}

/** `host:port` of a URL as the politeness limits count it (one bucket per host and port). */
export function hostKey(url: string): string {
  return new URL(url).host;
}
