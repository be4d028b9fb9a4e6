/**
 * robots.txt as RFC 9309 says: groups by user-agent (case-insensitive product token, groups for
 * the same agent merged, `*` when none matches), Allow/Disallow with `*` and `$` wildcards, the
 * longest matching rule wins and Allow wins a tie; plus the common Crawl-delay and Sitemap lines.
 *
 *   const robots = parseRobotsTxt('User-agent: *\nDisallow: /private/\nAllow: /private/ok\nCrawl-delay: 2');
 *   robots.isAllowed('/private/x', 'dlpipe-scrape');   // false
 *   robots.crawlDelayMs('dlpipe-scrape');              // 2000
 */

interface Rule {
  allow: boolean;
  /** The pattern, percent-encoding normalized. */
  pattern: string;
  regex: RegExp;
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelayS?: number;
}

/** What the parsed file says for one agent. */
export interface RobotsVerdict {
  allowed: boolean;
  /** The rule that decided, as written (e.g. `Disallow: /private/`), if any. */
  rule?: string;
}

/** Upper-case hex escapes, and unreserved characters (RFC 3986) decoded, so `%7e` ≡ `~`. */
function normalizeEncoding(path: string): string {
  return path.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const ch = String.fromCharCode(Number.parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}

function compileRule(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

/** The product token of a user-agent string: `Mozilla/5.0 (compatible; X)` → `mozilla`. */
export function productToken(userAgent: string): string {
  return (userAgent.trim().split(/[/\s]/)[0] ?? '').toLowerCase();
}

export class RobotsTxt {
  readonly sitemaps: readonly string[];

  constructor(
    private readonly groups: readonly Group[],
    sitemaps: string[],
  ) {
    this.sitemaps = sitemaps;
  }

  /** The merged groups that apply to an agent (its own, else `*`), or none. */
  private groupsFor(agent: string): Group[] {
    const token = productToken(agent);
    const own = this.groups.filter((g) => g.agents.includes(token));
    return own.length ? own : this.groups.filter((g) => g.agents.includes('*'));
  }

  /** Whether `agent` may fetch `pathAndQuery` (or a full URL), and which rule decided. */
  verdict(pathOrUrl: string, agent: string): RobotsVerdict {
    let path = pathOrUrl;
    if (/^https?:\/\//i.test(path)) {
      const u = new URL(path);
      path = u.pathname + u.search;
    }
    if (path === '/robots.txt') return { allowed: true };
    const target = normalizeEncoding(path || '/');
    let best: Rule | undefined;
    for (const g of this.groupsFor(agent)) {
      for (const r of g.rules) {
        if (!r.regex.test(target)) continue;
        const longer = !best || r.pattern.length > best.pattern.length;
        const tieAllow = best && r.pattern.length === best.pattern.length && r.allow && !best.allow;
        if (longer || tieAllow) best = r;
      }
    }
    if (!best) return { allowed: true };
    return { allowed: best.allow, rule: `${best.allow ? 'Allow' : 'Disallow'}: ${best.pattern}` };
  }

  isAllowed(pathOrUrl: string, agent: string): boolean {
    return this.verdict(pathOrUrl, agent).allowed;
  }

  /** Crawl-delay for the agent in ms (the largest of its groups), or undefined when none is set. */
  crawlDelayMs(agent: string): number | undefined {
    const delays = this.groupsFor(agent)
      .map((g) => g.crawlDelayS)
      .filter((d): d is number => d !== undefined);
    return delays.length ? Math.max(...delays) * 1000 : undefined;
  }
}

/** Parses a robots.txt body (unknown lines ignored, as the RFC asks). */
export function parseRobotsTxt(text: string): RobotsTxt {
  const groups: Group[] = [];
  const sitemaps: string[] = [];
  let current: Group | undefined;
  let lastWasAgent = false;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value === '*' ? '*' : productToken(value));
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (key === 'sitemap') sitemaps.push(value);
    else if (!current) continue;
    else if ((key === 'allow' || key === 'disallow') && value !== '') {
      const pattern = normalizeEncoding(value);
      current.rules.push({ allow: key === 'allow', pattern, regex: compileRule(pattern) });
    } else if (key === 'crawl-delay') {
      const s = Number(value);
      if (Number.isFinite(s) && s >= 0) current.crawlDelayS = s;
    }
  }
  return new RobotsTxt(groups, sitemaps);
}

/** Allows everything (robots.txt missing, 4xx, or robots checks turned off). */
export const ALLOW_ALL: RobotsTxt = parseRobotsTxt('');
