/**
 * Which discovered links a crawl follows: a scope relative to the start URLs (same site by default)
 * and include/exclude patterns. A pattern is a glob (picomatch) or `{ regex }`; a glob that starts
 * with `/` is matched against the path and query, any other glob against the whole URL.
 *
 *   const f = new UrlFilter({ startUrls: ['http://127.0.0.1:8080/'], include: ['/products/**'] });
 *   f.accepts('http://127.0.0.1:8080/products/3'); // true
 */
import picomatch from 'picomatch';

/** A link pattern: a glob, or a regular expression as `{ regex, flags? }`. */
export type UrlPattern = string | { regex: string; flags?: string };

/** How far from the start URLs a crawl may go. */
export type CrawlScope = 'same-site' | 'same-host' | 'same-origin' | 'any';
export const CRAWL_SCOPES: readonly CrawlScope[] = ['same-site', 'same-host', 'same-origin', 'any'];

/** Options of `UrlFilter`. */
export interface UrlFilterOptions {
  /** The crawl's start URLs; the scope is relative to them. */
  startUrls: readonly string[];
  /** Default 'same-site' (same registrable domain, any port or scheme). */
  scope?: CrawlScope;
  /** Follow only links matching one of these (default: all in scope). */
  include?: readonly UrlPattern[];
  /** Never follow links matching one of these. */
  exclude?: readonly UrlPattern[];
}

type Matcher = (url: URL) => boolean;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * The registrable domain of a host, approximately (no public-suffix list): IPs and single labels
 * as they are, `a.b.example.co.uk` → `example.co.uk` (2-letter TLD after a ≤3-letter label),
 * otherwise the last two labels.
 */
export function siteOf(hostname: string): string {
  if (IPV4.test(hostname) || hostname.includes(':') || hostname.startsWith('[')) return hostname;
  const labels = hostname.split('.');
  if (labels.length <= 2) return hostname;
  const tld = labels.at(-1)!;
  const second = labels.at(-2)!;
  const take = tld.length === 2 && second.length <= 3 ? 3 : 2;
  return labels.slice(-take).join('.');
}

/** A matcher for one pattern. */
export function compilePattern(pattern: UrlPattern): Matcher {
  if (typeof pattern !== 'string') {
    const re = new RegExp(pattern.regex, pattern.flags);
    return (u) => re.test(u.href);
  }
  const isMatch = picomatch(pattern, { dot: true });
  if (pattern.startsWith('/')) return (u) => isMatch(u.pathname + u.search) || isMatch(u.pathname);
  return (u) => isMatch(u.href);
}

export class UrlFilter {
  private readonly scope: CrawlScope;
  private readonly origins: Set<string>;
  private readonly hosts: Set<string>;
  private readonly sites: Set<string>;
  private readonly include: Matcher[];
  private readonly exclude: Matcher[];

  constructor(options: UrlFilterOptions) {
    const starts = options.startUrls.map((s) => new URL(s));
    this.scope = options.scope ?? 'same-site';
    this.origins = new Set(starts.map((u) => u.origin));
    this.hosts = new Set(starts.map((u) => u.host));
    this.sites = new Set(starts.map((u) => siteOf(u.hostname)));
    this.include = (options.include ?? []).map(compilePattern);
    this.exclude = (options.exclude ?? []).map(compilePattern);
  }

  /** True when the crawl's scope contains the URL (ignores include/exclude). */
  inScope(url: string | URL): boolean {
    const u = typeof url === 'string' ? new URL(url) : url;
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
    switch (this.scope) {
      case 'any':
        return true;
      case 'same-origin':
        return this.origins.has(u.origin);
      case 'same-host':
        return this.hosts.has(u.host);
      case 'same-site':
        return this.sites.has(siteOf(u.hostname));
    }
  }

  /** True when a discovered link should be followed. */
  accepts(url: string): boolean {
    const u = new URL(url);
    if (!this.inScope(u)) return false;
    if (this.exclude.some((m) => m(u))) return false;
    return this.include.length === 0 || this.include.some((m) => m(u));
  }
}
