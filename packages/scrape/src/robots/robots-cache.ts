/**
 * robots.txt per origin, fetched once per crawl and shared by its requests. As RFC 9309 says:
 * 2xx is parsed, 4xx means no rules (allow all), and an unreachable file (5xx, network error,
 * timeout) means "not now": requests of that origin are retried later rather than crawled or lost.
 *
 *   const robots = new RobotsCache({ userAgent: 'dlpipe-scrape/0.1' });
 *   const v = await robots.check('http://127.0.0.1:8080/private/a'); // { allowed: false, rule: … }
 */
import { RetryRequestError } from '../errors.js';
import { ALLOW_ALL, parseRobotsTxt, type RobotsTxt, type RobotsVerdict } from './robots-txt.js';

/** Options of `RobotsCache`. */
export interface RobotsCacheOptions {
  /** The User-Agent sent and matched against the groups (its product token). */
  userAgent: string;
  /** Timeout of one robots.txt fetch, ms. Default 10,000. */
  timeoutMs?: number;
  /** How long an unreachable robots.txt is remembered before it is fetched again, ms. Default 5,000. */
  failureTtlMs?: number;
  /** The fetch to use (tests). Default globalThis.fetch. */
  fetch?: typeof fetch;
}

/** The most of a robots.txt that is read (RFC 9309 asks for at least 500 KiB). */
const MAX_BYTES = 512 * 1024;

interface Entry {
  robots: Promise<RobotsTxt>;
  /** When a failed fetch may be retried (ms since epoch); undefined for a good one. */
  expiresAt?: number;
}

export class RobotsCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly options: RobotsCacheOptions) {}

  /** The parsed robots.txt of the URL's origin; throws RetryRequestError while it is unreachable. */
  async forUrl(url: string): Promise<RobotsTxt> {
    const origin = new URL(url).origin;
    const cached = this.entries.get(origin);
    if (cached && (cached.expiresAt === undefined || cached.expiresAt > Date.now())) return cached.robots;
    const entry: Entry = { robots: this.load(origin) };
    this.entries.set(origin, entry);
    entry.robots.catch(() => {
      entry.expiresAt = Date.now() + (this.options.failureTtlMs ?? 5000);
    });
    return entry.robots;
  }

  /** Whether the crawler may fetch `url`. */
  async check(url: string): Promise<RobotsVerdict> {
    return (await this.forUrl(url)).verdict(url, this.options.userAgent);
  }

  /** The origin's Crawl-delay for our agent, ms. */
  async crawlDelayMs(url: string): Promise<number | undefined> {
    return (await this.forUrl(url)).crawlDelayMs(this.options.userAgent);
  }

  private async load(origin: string): Promise<RobotsTxt> {
    const url = `${origin}/robots.txt`;
    const doFetch = this.options.fetch ?? fetch;
    let res: Response;
    try {
      res = await doFetch(url, {
        headers: { 'user-agent': this.options.userAgent },
        redirect: 'follow',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new RetryRequestError(
        url,
        `robots.txt is unreachable (${(err as Error).message}); pages of ${origin} wait for it`,
        {
          cause: err,
          code: 'ROBOTS_UNREACHABLE',
        },
      );
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new RetryRequestError(
        url,
        `robots.txt answered HTTP ${res.status}; pages of ${origin} wait for it`,
        {
          status: res.status,
          code: 'ROBOTS_UNREACHABLE',
        },
      );
    }
    if (res.status >= 400) {
      await res.body?.cancel();
      return ALLOW_ALL;
    }
    return parseRobotsTxt(await readCapped(res, MAX_BYTES));
  }
}

/** The body as text, at most `max` bytes of it. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of res.body) {
    chunks.push(chunk);
    n += chunk.byteLength;
    if (n >= max) break;
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}
