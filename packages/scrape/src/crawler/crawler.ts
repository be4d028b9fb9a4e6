/**
 * The crawl engine: claims ready requests from the queue within the global and per-host limits,
 * checks robots.txt, handles each page on a pooled browser page, commits the result atomically,
 * and retries failures with exponential backoff and jitter (Retry-After honoured). `stop()` lets
 * in-flight pages finish and leaves the rest pending in the queue, so a later run resumes.
 *
 *   const crawler = new Crawler({ startUrls: ['http://127.0.0.1:8080/'], extract: { fields: { h: 'h1' } } });
 *   const summary = await crawler.run();   // { status: 'finished', counts: { done: 12, … }, … }
 */

import { formatIssues, OptionsError } from '@dlpipe/core';
import { BrowserPool, type PageLease } from '../browser/browser-pool.js';
import {
  CrawlError,
  type RequestError,
  RequestTimeoutError,
  RetryRequestError,
  SkipRequestError,
} from '../errors.js';
import { HostGate } from '../politeness/host-gate.js';
import { RobotsCache } from '../robots/robots-cache.js';
import { MemoryStore } from '../storage/memory-store.js';
import type { CrawlRequest, Dataset, RequestQueue } from '../storage/types.js';
import { normalizeUrl } from '../url/normalize-url.js';
import { UrlFilter } from '../url/url-filter.js';
import { classifyError, spoilsPage } from './classify-error.js';
import {
  type CrawlOptions,
  crawlOptionsSchema,
  type ResolvedCrawlOptions,
  resolveCrawlOptions,
} from './crawl-options.js';
import type { CrawlerOptions, CrawlProgress, CrawlSummary, SessionStats } from './crawler-types.js';
import { decideFailure } from './failure-policy.js';
import { handlePage } from './handle-page.js';
import { Waker, withDeadline } from './waker.js';

export type { CrawlerOptions, CrawlLog, CrawlProgress, CrawlSummary, SessionStats } from './crawler-types.js';

export class Crawler {
  readonly options: ResolvedCrawlOptions;
  readonly queue: RequestQueue;
  readonly dataset: Dataset;
  private readonly filter: UrlFilter;
  private readonly gate: HostGate;
  private readonly robots: RobotsCache;
  private readonly waker = new Waker();
  private readonly active = new Set<Promise<void>>();
  private readonly stats: SessionStats = {
    done: 0,
    failed: 0,
    skipped: 0,
    retries: 0,
    records: 0,
    images: 0,
    elapsedS: 0,
    pagesPerMin: 0,
  };
  private pool: BrowserPool | undefined;
  private stopping = false;
  private started = 0;
  private handledBefore = 0;
  private fatal: Error | undefined;
  /** Hosts whose robots.txt is known; until then one request per host goes ahead to fetch it. */
  private readonly robotsKnown = new Set<string>();
  private readonly robotsProbing = new Set<string>();

  constructor(private readonly config: CrawlerOptions) {
    const { queue, dataset, outDir, browser, log, onProgress, random, ...crawl } = config;
    const parsed = crawlOptionsSchema.safeParse(crawl);
    if (!parsed.success) throw new OptionsError(`crawl options: ${formatIssues(parsed.error).join('; ')}`);
    this.options = resolveCrawlOptions(parsed.data as CrawlOptions);
    if ((this.options.images || this.options.screenshots) && !outDir) {
      throw new OptionsError('crawl options: images and screenshots need outDir (where to write the files)');
    }
    if (queue && !dataset)
      throw new OptionsError('crawl options: a queue needs its dataset (pass both from one store)');
    if (queue && dataset) {
      this.queue = queue;
      this.dataset = dataset;
    } else {
      const store = new MemoryStore();
      this.queue = store.queue(1);
      this.dataset = store.dataset(1);
    }
    this.filter = new UrlFilter({ ...this.options, startUrls: this.options.startUrls });
    this.gate = new HostGate({
      maxPerHost: this.options.maxConcurrencyPerHost,
      delayMs: this.options.delayMs,
    });
    this.robots = new RobotsCache({ userAgent: this.options.userAgent, timeoutMs: this.options.timeoutMs });
  }

  private log(level: 'debug' | 'info' | 'warn', message: string): void {
    this.config.log?.(level, message);
  }

  /** Finish the pages in flight, start no more; `run()` then resolves with status 'interrupted'. */
  stop(): void {
    this.stopping = true;
    this.waker.notify();
  }

  /** Crawls until the queue is empty, maxPages are handled or `stop()` is called. */
  async run(): Promise<CrawlSummary> {
    if (this.pool) throw new CrawlError('this crawler is already running');
    this.started = performance.now();
    const released = await this.queue.release();
    if (released)
      this.log('info', `${released} request(s) left in progress by an earlier session are pending again`);
    const starts = this.options.startUrls
      .map((u) => normalizeUrl(u))
      .filter((u): u is string => u !== undefined);
    const label = this.options.pagination ? 'pagination:1' : 'start';
    await this.queue.add(starts.map((url) => ({ url, depth: 0, label })));
    const before = await this.queue.counts();
    this.handledBefore = before.done + before.failed + before.skipped;
    this.pool = await BrowserPool.launch({
      maxPages: this.options.maxConcurrency,
      userAgent: this.options.userAgent,
      ...this.config.browser,
      log: (m) => this.log('warn', m),
    });
    const ticker = setInterval(() => void this.report(), 1000);
    let reason: CrawlSummary['reason'];
    try {
      reason = await this.loop();
    } finally {
      clearInterval(ticker);
      await Promise.allSettled([...this.active]);
      await this.pool.close();
      this.pool = undefined;
    }
    if (this.fatal) throw this.fatal;
    const progress = await this.report();
    return {
      status: reason === 'stopped' && progress.counts.pending > 0 ? 'interrupted' : 'finished',
      reason,
      counts: progress.counts,
      session: progress.session,
      records: await this.dataset.count(),
      images: await this.dataset.imageCount(),
    };
  }

  private handled(): number {
    return this.handledBefore + this.stats.done + this.stats.failed + this.stats.skipped;
  }

  private async loop(): Promise<CrawlSummary['reason']> {
    for (;;) {
      if (this.fatal) return 'stopped';
      const atLimit = this.handled() + this.active.size >= this.options.maxPages;
      if (!this.stopping && !atLimit) await this.fill();
      const now = Date.now();
      if (this.active.size === 0) {
        if (this.stopping) return 'stopped';
        if (this.handled() >= this.options.maxPages) return 'max-pages';
        const next = await this.queue.nextNotBefore();
        if (next === undefined) return 'queue-empty';
        await this.waker.wait(this.nextWake(now, next) - now);
        continue;
      }
      // every slot busy (or no more may start): only a finishing page can change anything
      if (this.stopping || atLimit || this.active.size >= this.options.maxConcurrency) {
        await this.waker.wait(Number.POSITIVE_INFINITY);
        continue;
      }
      await this.waker.wait(this.nextWake(now, await this.queue.nextNotBefore()) - now);
    }
  }

  /** When a waiting request may become ready: its backoff ends or its host's delay passes. */
  private nextWake(now: number, nextNotBefore: number | undefined): number {
    const candidates = [
      this.gate.nextReadyAfter(now),
      nextNotBefore !== undefined && nextNotBefore > now ? nextNotBefore : undefined,
    ];
    const t = Math.min(...candidates.filter((c): c is number => c !== undefined));
    return Number.isFinite(t) ? Math.max(t, now + 2) : now + 1000;
  }

  private async fill(): Promise<void> {
    const free = Math.min(
      this.options.maxConcurrency - this.active.size,
      this.options.maxPages - this.handled() - this.active.size,
    );
    if (free <= 0) return;
    const now = Date.now();
    const claimed = await this.queue.claim({
      limit: free,
      now,
      accept: (r) => {
        if (this.gate.readyAt(r.host, now) > now) return false;
        if (this.options.robots && !this.robotsKnown.has(r.host)) {
          if (this.robotsProbing.has(r.host)) return false; // its Crawl-delay is not known yet
          this.robotsProbing.add(r.host);
        }
        this.gate.start(r.host, now);
        return true;
      },
    });
    for (const request of claimed) {
      const task = this.process(request)
        .catch((err: unknown) => {
          this.fatal ??= err instanceof Error ? err : new CrawlError(String(err));
        })
        .finally(() => {
          this.gate.finish(request.host);
          this.active.delete(task);
          this.waker.notify();
        });
      this.active.add(task);
    }
  }

  private async process(request: CrawlRequest): Promise<void> {
    const pool = this.pool!;
    const generation = pool.generation;
    let lease: PageLease | undefined;
    try {
      if (this.options.robots) await this.checkRobots(request);
      const commit = await this.withWatchdog(request, generation, async () => {
        lease = await pool.acquire();
        const wait = this.gate.reserve(request.host, Date.now());
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const input = {
          lease,
          request,
          options: this.options,
          filter: this.filter,
          outDir: this.config.outDir,
        };
        return handlePage({ ...input, log: (m) => this.log('debug', m) });
      });
      pool.release(lease!, true);
      lease = undefined;
      if (await this.queue.complete(request.id, commit)) {
        this.stats.done++;
        this.stats.records += commit.records.length;
        this.stats.images += commit.images.length;
      }
    } catch (err) {
      if (err instanceof CrawlError) throw err;
      const e = classifyError(err, request.url, {
        timeoutMs: this.options.timeoutMs,
        browserAlive: pool.alive,
      });
      if (lease) pool.release(lease, !spoilsPage(e));
      // a timeout may be the page's fault or a hung browser: ask the browser, restart it if it is silent
      if (e instanceof RequestTimeoutError) await this.reviveBrowser(generation, request.url);
      await this.settleFailure(request, e);
    }
  }

  /** Restarts the browser if it does not answer (a hang); no-op when it was restarted meanwhile. */
  private async reviveBrowser(generation: number, url: string): Promise<void> {
    const pool = this.pool;
    if (!pool || pool.generation !== generation || (await pool.responsive(2000))) return;
    if (pool.generation === generation) await pool.restart(`it stopped answering while loading ${url}`);
  }

  private async checkRobots(request: CrawlRequest): Promise<void> {
    let verdict: Awaited<ReturnType<RobotsCache['check']>>;
    try {
      verdict = await this.robots.check(request.url);
      const delay = await this.robots.crawlDelayMs(request.url);
      if (delay !== undefined) this.gate.setCrawlDelay(request.host, delay);
      this.robotsKnown.add(request.host);
    } finally {
      this.robotsProbing.delete(request.host);
      this.waker.notify();
    }
    if (!verdict.allowed)
      throw new SkipRequestError(request.url, `robots.txt disallows it (${verdict.rule})`);
  }

  /** Fails the request as a hang when it outlives every timeout, reviving the browser if it stopped answering. */
  private withWatchdog<T>(request: CrawlRequest, generation: number, work: () => Promise<T>): Promise<T> {
    const limitMs = this.options.timeoutMs * 2 + 10_000;
    return withDeadline(work(), limitMs, async () => {
      await this.reviveBrowser(generation, request.url);
      return new RetryRequestError(request.url, `no progress for ${limitMs} ms (hung page or browser)`, {
        code: 'HUNG',
      });
    });
  }

  private async settleFailure(request: CrawlRequest, e: RequestError): Promise<void> {
    const d = decideFailure(request, e, this.options, Date.now(), this.config.random);
    if (d.action === 'skip') {
      this.stats.skipped++;
      this.log('debug', `skipped ${d.message}`);
      await this.queue.skip(request.id, d.message, d.status);
    } else if (d.action === 'retry') {
      if (d.pauseHostUntil !== undefined) this.gate.pause(request.host, d.pauseHostUntil);
      this.stats.retries++;
      this.log(
        'debug',
        `retry ${request.attempts + 1}/${this.options.maxRetries} at ${new Date(d.notBefore).toISOString()}: ${d.message}`,
      );
      await this.queue.retry(request.id, d.message, d.notBefore, d.status);
    } else {
      this.stats.failed++;
      this.log('warn', `failed ${d.message}`);
      await this.queue.fail(request.id, d.message, d.status);
    }
  }

  private async report(): Promise<CrawlProgress> {
    this.stats.elapsedS = (performance.now() - this.started) / 1000;
    const handled = this.stats.done + this.stats.failed + this.stats.skipped;
    this.stats.pagesPerMin = this.stats.elapsedS > 0 ? (handled / this.stats.elapsedS) * 60 : 0;
    const progress = {
      session: { ...this.stats },
      counts: await this.queue.counts(),
      inFlight: this.active.size,
    };
    this.config.onProgress?.(progress);
    return progress;
  }
}
