/**
 * What to crawl and how politely: the options a `Crawler` takes and a job file holds, with their
 * defaults and the zod schema that checks them where they enter from outside.
 *
 *   const o = parseCrawlOptions({ startUrls: ['http://127.0.0.1:8080/'], maxDepth: 2, delayMs: 0 });
 */

import { formatIssues, OptionsError } from '@dlpipe/core';
import type { Page, Response } from 'playwright-core';
import { z } from 'zod';
import { type ExtractSpec, extractSpecSchema, urlPatternSchema } from '../extract/extract-spec.js';
import type { CrawlRequest } from '../storage/types.js';
import { CRAWL_SCOPES, type CrawlScope, type UrlPattern } from '../url/url-filter.js';

/** What an extraction function gets for each page. */
export interface ExtractContext {
  page: Page;
  /** The main response (null for same-document navigations). */
  response: Response | null;
  request: CrawlRequest;
  /** The URL the page ended up at. */
  url: string;
  /** Adds links to the crawl (still subject to scope, include/exclude and maxDepth). */
  enqueue(urls: readonly string[]): void;
}

/** Records of a page, from code; throw `NonRetryableError` to fail the page without retries. */
export type ExtractFunction = (context: ExtractContext) => ExtractResult | Promise<ExtractResult>;

/** What an extraction function returns: records, one record, or nothing. */
// biome-ignore lint/suspicious/noConfusingVoidType: functions that return nothing (void) are allowed
export type ExtractResult = Record<string, unknown>[] | Record<string, unknown> | undefined | void;

/** Wait conditions before a page is read. */
export interface WaitOptions {
  /** The load state `goto` waits for. Default 'load'. */
  until?: 'commit' | 'domcontentloaded' | 'load' | 'networkidle';
  /** Then wait for this selector to be attached (JS-rendered content). */
  selector?: string;
  /** How long the selector may take, ms. Default: `timeoutMs`. */
  selectorTimeoutMs?: number;
  /** A missing selector fails the page (retried) instead of reading what is there. Default true. */
  selectorRequired?: boolean;
}

/** Pagination by "next" links: followed first and without counting toward maxDepth. */
export interface PaginationOptions {
  /** The next-page link, e.g. `a[rel=next]`. */
  next: string;
  /** At most this many pages per listing. Default 100. */
  maxPages?: number;
}

/** Image download: files under `<outDir>/images` and a manifest (file, source URL, alt, page). */
export interface ImageOptions {
  /** Which images. Default 'img'. */
  selector?: string;
  /** Only on pages whose URL matches. */
  match?: UrlPattern | UrlPattern[];
  /** Larger files are skipped. Default 20 MB. */
  maxBytes?: number;
  /** Smaller (natural size, px) are skipped: icons, spacers. Default 1. */
  minWidth?: number;
  minHeight?: number;
}

/** Screenshots: PNG per page under `<outDir>/screenshots`, the path in each record as `screenshot`. */
export interface ScreenshotOptions {
  fullPage?: boolean;
  match?: UrlPattern | UrlPattern[];
}

export interface CrawlOptions {
  startUrls: string[];
  /** How far links may lead from the start URLs. Default 'same-site'. */
  scope?: CrawlScope;
  /** Follow only links matching one of these (globs — `/…` against path and query — or `{ regex }`). */
  include?: UrlPattern[];
  exclude?: UrlPattern[];
  /** Links to consider, or false to follow none. Default 'a[href]'. */
  linkSelector?: string | false;
  /** Link hops from a start URL. Default unlimited. */
  maxDepth?: number;
  /** Pages handled (done, failed or skipped) before the crawl stops. Default 10,000. */
  maxPages?: number;
  wait?: WaitOptions;
  /** CSS extractors, or a function. Default: none (pages are crawled, no records). */
  extract?: ExtractSpec | ExtractSpec[] | ExtractFunction;
  pagination?: PaginationOptions;
  screenshots?: boolean | ScreenshotOptions;
  images?: boolean | ImageOptions;
  /** Honour robots.txt. Default true. */
  robots?: boolean;
  /** Sent as User-Agent; its first word is matched against robots.txt groups. Default 'dlpipe-scrape/0.1 (+…)'. */
  userAgent?: string;
  /** Pages in flight. Default 4. */
  maxConcurrency?: number;
  /** Pages in flight per host. Default 2. */
  maxConcurrencyPerHost?: number;
  /** Minimum time between requests to one host, ms (robots.txt Crawl-delay raises it). Default 250. */
  delayMs?: number;
  /** One page: navigation, waits and extraction, ms. Default 30,000. */
  timeoutMs?: number;
  /** Retries after network errors, timeouts, 5xx and 429. Default 3. */
  maxRetries?: number;
  /** Exponential backoff: first delay and cap, ms. Default 1,000 and 60,000. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** A longer Retry-After fails the page instead of waiting, ms. Default 600,000. */
  maxRetryAfterMs?: number;
  /** Redirects per page. Default 10. */
  maxRedirects?: number;
  /** Larger pages are not read, bytes. Default 10,000,000. */
  maxPageBytes?: number;
  /** MIME types crawled as pages. Default text/html and application/xhtml+xml. */
  acceptTypes?: string[];
}

export const DEFAULT_USER_AGENT = 'dlpipe-scrape/0.1 (headless Chromium)';

const patterns = z.array(urlPatternSchema);
const matchSchema = z.union([urlPatternSchema, patterns]).optional();
const posInt = z.number().int().positive();
const nonNegInt = z.number().int().nonnegative();

export const crawlOptionsSchema = z.strictObject({
  startUrls: z
    .array(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }))
    .min(1, 'give at least one start URL'),
  scope: z.enum(CRAWL_SCOPES as [CrawlScope, ...CrawlScope[]]).optional(),
  include: patterns.optional(),
  exclude: patterns.optional(),
  linkSelector: z.union([z.string().min(1), z.literal(false)]).optional(),
  maxDepth: nonNegInt.optional(),
  maxPages: posInt.optional(),
  wait: z
    .strictObject({
      until: z.enum(['commit', 'domcontentloaded', 'load', 'networkidle']).optional(),
      selector: z.string().min(1).optional(),
      selectorTimeoutMs: posInt.optional(),
      selectorRequired: z.boolean().optional(),
    })
    .optional(),
  extract: z
    .union([
      extractSpecSchema,
      z.array(extractSpecSchema).min(1),
      z.custom<ExtractFunction>((v) => typeof v === 'function', 'expected extractors or a function'),
    ])
    .optional(),
  pagination: z.strictObject({ next: z.string().min(1), maxPages: posInt.optional() }).optional(),
  screenshots: z
    .union([z.boolean(), z.strictObject({ fullPage: z.boolean().optional(), match: matchSchema })])
    .optional(),
  images: z
    .union([
      z.boolean(),
      z.strictObject({
        selector: z.string().min(1).optional(),
        match: matchSchema,
        maxBytes: posInt.optional(),
        minWidth: nonNegInt.optional(),
        minHeight: nonNegInt.optional(),
      }),
    ])
    .optional(),
  robots: z.boolean().optional(),
  userAgent: z.string().min(1).optional(),
  maxConcurrency: posInt.max(64).optional(),
  maxConcurrencyPerHost: posInt.max(64).optional(),
  delayMs: nonNegInt.optional(),
  timeoutMs: posInt.optional(),
  maxRetries: nonNegInt.max(20).optional(),
  backoff: z.strictObject({ baseMs: nonNegInt.optional(), maxMs: nonNegInt.optional() }).optional(),
  maxRetryAfterMs: nonNegInt.optional(),
  maxRedirects: nonNegInt.max(20).optional(),
  maxPageBytes: posInt.optional(),
  acceptTypes: z
    .array(z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'expected a MIME type like text/html'))
    .min(1)
    .optional(),
});

/** Options with every default filled in. */
export type ResolvedCrawlOptions = Required<
  Omit<CrawlOptions, 'include' | 'exclude' | 'maxDepth' | 'extract' | 'pagination' | 'wait' | 'backoff'>
> & {
  include: UrlPattern[];
  exclude: UrlPattern[];
  maxDepth: number;
  extract: ExtractSpec[] | ExtractFunction;
  pagination: PaginationOptions | undefined;
  wait: Required<Omit<WaitOptions, 'selector'>> & { selector: string | undefined };
  backoff: { baseMs: number; maxMs: number };
};

/** Checks options (an `OptionsError` names each bad field) and fills in the defaults. */
export function parseCrawlOptions(input: unknown): ResolvedCrawlOptions {
  const parsed = crawlOptionsSchema.safeParse(input);
  if (!parsed.success) throw new OptionsError(`crawl options: ${formatIssues(parsed.error).join('; ')}`);
  return resolveCrawlOptions(parsed.data as CrawlOptions);
}

/** Fills in the defaults of already-checked options. */
export function resolveCrawlOptions(o: CrawlOptions): ResolvedCrawlOptions {
  const timeoutMs = o.timeoutMs ?? 30_000;
  const extract =
    o.extract === undefined ? [] : typeof o.extract === 'function' ? o.extract : [o.extract].flat();
  return {
    startUrls: o.startUrls,
    scope: o.scope ?? 'same-site',
    include: o.include ?? [],
    exclude: o.exclude ?? [],
    linkSelector: o.linkSelector ?? 'a[href]',
    maxDepth: o.maxDepth ?? Number.POSITIVE_INFINITY,
    maxPages: o.maxPages ?? 10_000,
    wait: {
      until: o.wait?.until ?? 'load',
      selector: o.wait?.selector,
      selectorTimeoutMs: o.wait?.selectorTimeoutMs ?? timeoutMs,
      selectorRequired: o.wait?.selectorRequired ?? true,
    },
    extract,
    pagination: o.pagination,
    screenshots: o.screenshots ?? false,
    images: o.images ?? false,
    robots: o.robots ?? true,
    userAgent: o.userAgent ?? DEFAULT_USER_AGENT,
    maxConcurrency: o.maxConcurrency ?? 4,
    maxConcurrencyPerHost: o.maxConcurrencyPerHost ?? 2,
    delayMs: o.delayMs ?? 250,
    timeoutMs,
    maxRetries: o.maxRetries ?? 3,
    backoff: { baseMs: o.backoff?.baseMs ?? 1000, maxMs: o.backoff?.maxMs ?? 60_000 },
    maxRetryAfterMs: o.maxRetryAfterMs ?? 600_000,
    maxRedirects: o.maxRedirects ?? 10,
    maxPageBytes: o.maxPageBytes ?? 10_000_000,
    acceptTypes: (o.acceptTypes ?? ['text/html', 'application/xhtml+xml']).map((t) => t.toLowerCase()),
  };
}
