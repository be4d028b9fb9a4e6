/**
 * Per-host politeness: at most `maxPerHost` requests in flight per host, starts at least
 * `delayMs` apart (raised to the host's robots.txt Crawl-delay), and a pause when the host asks
 * for one (429/503 Retry-After).
 *
 *   const gate = new HostGate({ maxPerHost: 2, delayMs: 250 });
 *   if (gate.readyAt('a:80', now) <= now) gate.start('a:80', now); … gate.finish('a:80');
 */

/** Options of `HostGate`. */
export interface HostGateOptions {
  /** Requests in flight per host. Default 2. */
  maxPerHost?: number;
  /** Minimum time between two request starts on one host, ms. Default 0. */
  delayMs?: number;
}

interface HostState {
  active: number;
  lastStart: number;
  /** When the last navigation to the host was allowed to begin (see `reserve`). */
  lastNavigation: number;
  delayMs: number;
  pausedUntil: number;
}

export class HostGate {
  private readonly hosts = new Map<string, HostState>();
  private readonly maxPerHost: number;
  private readonly delayMs: number;

  constructor(options: HostGateOptions = {}) {
    this.maxPerHost = options.maxPerHost ?? 2;
    this.delayMs = options.delayMs ?? 0;
  }

  private state(host: string): HostState {
    let s = this.hosts.get(host);
    if (!s) {
      s = {
        active: 0,
        lastStart: Number.NEGATIVE_INFINITY,
        lastNavigation: Number.NEGATIVE_INFINITY,
        delayMs: this.delayMs,
        pausedUntil: 0,
      };
      this.hosts.set(host, s);
    }
    return s;
  }

  /** When a request to `host` may start: `now` or earlier when it may start now, Infinity while it is full. */
  readyAt(host: string, now: number): number {
    const s = this.hosts.get(host);
    if (!s) return now;
    if (s.active >= this.maxPerHost) return Number.POSITIVE_INFINITY;
    return Math.max(s.lastStart + s.delayMs, s.pausedUntil);
  }

  /** Records a request start. */
  start(host: string, now: number): void {
    const s = this.state(host);
    s.active++;
    s.lastStart = now;
  }

  /**
   * Reserves the moment a claimed request may really navigate (after robots.txt and waiting for
   * a page): at least the host's delay after the previous navigation, so requests claimed apart
   * but delayed by a busy machine still reach the server apart. Returns the ms to wait.
   */
  reserve(host: string, now: number): number {
    const s = this.state(host);
    const at = Math.max(now, s.lastNavigation + s.delayMs, s.pausedUntil);
    s.lastNavigation = at;
    s.lastStart = Math.max(s.lastStart, at);
    return at - now;
  }

  /** Records a request end. */
  finish(host: string): void {
    const s = this.state(host);
    s.active = Math.max(0, s.active - 1);
  }

  /** Raises the host's delay to a robots.txt Crawl-delay (never lowers it below `delayMs`). */
  setCrawlDelay(host: string, ms: number): void {
    const s = this.state(host);
    s.delayMs = Math.max(this.delayMs, ms);
  }

  /** Holds every request to the host until `until` (ms since epoch). */
  pause(host: string, until: number): void {
    const s = this.state(host);
    s.pausedUntil = Math.max(s.pausedUntil, until);
  }

  /** The earliest time a host that is not full becomes ready, after `now`; undefined if none waits. */
  nextReadyAfter(now: number): number | undefined {
    let best: number | undefined;
    for (const s of this.hosts.values()) {
      if (s.active >= this.maxPerHost) continue;
      const t = Math.max(s.lastStart + s.delayMs, s.pausedUntil);
      if (t > now && (best === undefined || t < best)) best = t;
    }
    return best;
  }
}
