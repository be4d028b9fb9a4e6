/**
 * One headless Chromium (playwright-core) with a pool of reusable pages. A crashed browser is
 * noticed (it disconnects) and relaunched on the next `acquire`; a hung one is killed by pid
 * and relaunched by `restart`. Pages of a dead browser carry an old `generation`, so their
 * requests know to retry.
 *
 *   const pool = await BrowserPool.launch({ maxPages: 4, userAgent: 'dlpipe-scrape/0.1' });
 *   const lease = await pool.acquire(); await lease.page.goto(url); pool.release(lease, true);
 *   await pool.close();
 */
import { randomUUID } from 'node:crypto';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CrawlError } from '../errors.js';
import { findBrowserPid, killPid } from './browser-process.js';
import { findChromium } from './find-chromium.js';
import { PageGuard } from './page-guard.js';

/** Flags that work as root, without a sandbox and with no outside network. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-default-browser-check',
  // a crawler never goes back: cached earlier pages only grow the renderers' memory
  '--disable-features=BackForwardCache',
];

/** Navigations a page serves before it is closed and a fresh one opened (renderer memory stays bounded). */
export const DEFAULT_PAGE_USES = 100;

/** Options of `BrowserPool.launch`. */
export interface BrowserPoolOptions {
  /** Pages open at once (the crawl's concurrency). */
  maxPages: number;
  /** Chromium executable. Default `findChromium()`. */
  executablePath?: string;
  /** Default true. */
  headless?: boolean;
  /** The User-Agent header pages send. Default Chromium's. */
  userAgent?: string;
  /** Extra Chromium flags. */
  args?: readonly string[];
  /** Default 1280×800. */
  viewport?: { width: number; height: number };
  /** Restarts allowed per minute before the crawl gives up. Default 10. */
  maxRestartsPerMinute?: number;
  /** Where notes go (restarts). */
  log?: (message: string) => void;
  /** Requests a page serves before it is replaced by a fresh one. Default 100 (as Crawlee retires pages). */
  maxPageUses?: number;
}

/** A page lent to one request. */
export interface PageLease {
  page: Page;
  guard: PageGuard;
  /** The browser generation the page belongs to. */
  generation: number;
  /** Requests this page has been lent for. */
  uses: number;
}

export class BrowserPool {
  private browser: Browser | undefined;
  private context: BrowserContext | undefined;
  /** A switch Chromium ignores, to find this pool's browser among the machine's processes. */
  private readonly marker = `--dlpipe-pool=${process.pid}-${randomUUID()}`;
  private idle: PageLease[] = [];
  private open = 0;
  private waiters: (() => void)[] = [];
  private relaunching: Promise<void> | undefined;
  private restarts: number[] = [];
  private closed = false;
  /** Increases with every (re)launch. */
  generation = 0;

  private constructor(private readonly options: BrowserPoolOptions & { executablePath: string }) {}

  static async launch(options: BrowserPoolOptions): Promise<BrowserPool> {
    const pool = new BrowserPool({ ...options, executablePath: options.executablePath ?? findChromium() });
    await pool.start();
    return pool;
  }

  private async start(): Promise<void> {
    try {
      this.browser = await chromium.launch({
        executablePath: this.options.executablePath,
        headless: this.options.headless ?? true,
        args: [...CHROMIUM_FLAGS, ...(this.options.args ?? []), this.marker],
        timeout: 60_000,
        // The crawl stops on signals itself (finishing pages in flight, keeping the queue) and then
        // closes the browser; Playwright's own handlers would exit or kill Chromium first.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
    } catch (err) {
      throw new CrawlError(
        `Chromium at ${this.options.executablePath} did not start: ${firstLine(err)}. ` +
          'Check that it runs (`chromium --headless --no-sandbox --dump-dom about:blank`) or set DLPIPE_CHROMIUM.',
        { cause: err },
      );
    }
    const browser = this.browser;
    // an incognito context: its cache lives in memory, so no page waits for the disk
    this.context = await browser.newContext({
      userAgent: this.options.userAgent,
      viewport: this.options.viewport ?? { width: 1280, height: 800 },
      acceptDownloads: false,
    });
    this.generation++;
    browser.on('disconnected', () => {
      if (this.browser === browser) {
        this.browser = undefined;
        this.context = undefined;
      }
    });
  }

  /** True while the browser is up. */
  get alive(): boolean {
    return this.context !== undefined;
  }

  /** A page for one request; waits while all `maxPages` are lent out, relaunches a dead browser. */
  async acquire(): Promise<PageLease> {
    for (;;) {
      if (this.closed) throw new CrawlError('the browser pool is closed');
      if (!this.context) await this.relaunch('the browser exited');
      const lease = this.idle.pop();
      if (lease && lease.generation === this.generation && !lease.page.isClosed()) {
        lease.uses++;
        return lease;
      }
      if (lease) {
        this.open--;
        continue;
      }
      if (this.open < this.options.maxPages) {
        this.open++;
        try {
          return await this.newLease();
        } catch (err) {
          this.open--;
          if (this.context) throw err;
          continue; // the browser died while the page opened: relaunch and try again
        }
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private async newLease(): Promise<PageLease> {
    const ctx = this.context!;
    const generation = this.generation;
    const page = await ctx.newPage();
    const guard = await PageGuard.attach(page);
    return { page, guard, generation, uses: 1 };
  }

  /**
   * Gives a page back; an unhealthy one (timed out, crashed, left mid-navigation) is closed, and so
   * is one whose navigation the guard stopped: Chromium may still commit the stopped navigation or
   * the stop itself later, and that would interrupt the page's next request.
   */
  release(lease: PageLease, healthy: boolean): void {
    const current = lease.generation === this.generation;
    const worn = lease.uses >= (this.options.maxPageUses ?? DEFAULT_PAGE_USES);
    const stopped = lease.guard.tripped !== undefined;
    if (healthy && !stopped && !worn && current && !lease.page.isClosed() && !this.closed) {
      this.idle.push(lease);
    } else {
      if (current) this.open--; // pages of a dead browser were already written off by relaunch
      if (!lease.page.isClosed()) lease.page.close({ runBeforeUnload: false }).catch(() => undefined);
    }
    this.waiters.shift()?.();
  }

  /** Kills the browser (it hung or crashed) and starts a fresh one; concurrent calls share one restart. */
  async restart(reason: string): Promise<void> {
    if (this.relaunching) return this.relaunching;
    const pid = findBrowserPid(this.marker);
    const browser = this.browser;
    this.browser = undefined;
    this.context = undefined;
    if (pid) killPid(pid);
    browser?.close().catch(() => undefined);
    await this.relaunch(reason);
  }

  private relaunch(reason: string): Promise<void> {
    if (this.relaunching) return this.relaunching;
    this.relaunching = (async () => {
      const now = Date.now();
      this.restarts = this.restarts.filter((t) => now - t < 60_000);
      this.restarts.push(now);
      const max = this.options.maxRestartsPerMinute ?? 10;
      if (this.restarts.length > max) {
        throw new CrawlError(
          `the browser crashed or hung ${this.restarts.length} times in a minute (last: ${reason}); giving up`,
        );
      }
      this.options.log?.(`restarting the browser: ${reason}`);
      this.idle = [];
      this.open = 0;
      await this.start();
      for (const w of this.waiters.splice(0)) w();
    })().finally(() => {
      this.relaunching = undefined;
    });
    return this.relaunching;
  }

  /** True when the browser answers a protocol call within `ms`. */
  async responsive(ms: number): Promise<boolean> {
    const ctx = this.context;
    if (!ctx) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([
        ctx.cookies().then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The pid of the running browser (Linux), for tests and diagnostics. */
  browserPid(): number | undefined {
    return findBrowserPid(this.marker);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w();
    const browser = this.browser;
    this.browser = undefined;
    this.context = undefined;
    if (browser) {
      // nothing of the browser is kept, so it need not shut down gracefully (which takes ~0.5 s);
      // its child processes exit with it, and Playwright removes its temporary profile
      const pid = findBrowserPid(this.marker);
      if (pid) killPid(pid);
      await browser.close().catch(() => undefined);
    }
  }
}

function firstLine(err: unknown): string {
  return ((err as Error)?.message ?? String(err)).split('\n')[0] ?? '';
}
