/**
 * Watches a page's main-document navigation over the Chrome DevTools Protocol and stops it as
 * soon as it is too large (Content-Length, or bytes received so far), not HTML, or redirected more
 * than `maxRedirects` times, so a 2 GB download, a PDF or a redirect loop never reaches the
 * renderer (Chromium itself follows up to 20 redirects).
 *
 *   const guard = await PageGuard.attach(page);
 *   guard.arm({ maxBytes: 10e6, acceptTypes: ['text/html'] });
 *   await page.goto(url).catch(…); if (guard.tripped) …; guard.disarm();
 */
import type { CDPSession, Page } from 'playwright-core';

/** Why the guard stopped a navigation. */
export type GuardTrip =
  | { kind: 'too-large'; bytes: number }
  | { kind: 'not-html'; mimeType: string; status: number }
  | { kind: 'redirects'; hops: number; to: string };

/** What the guard saw of the main document. */
export interface MainResponseInfo {
  status: number;
  mimeType: string;
  bytes: number;
}

/** Limits of one navigation. */
export interface GuardLimits {
  maxBytes: number;
  /** MIME types crawled as pages (e.g. text/html); a 2xx of another type is stopped. */
  acceptTypes: readonly string[];
  /** Redirects followed before the navigation is stopped; unlimited when left out. */
  maxRedirects?: number;
}

interface ResponseReceived {
  requestId: string;
  type?: string;
  frameId?: string;
  response: { status: number; mimeType: string; headers: Record<string, string> };
}

interface RequestWillBeSent {
  type?: string;
  frameId?: string;
  request: { url: string };
  redirectResponse?: unknown;
}

export class PageGuard {
  private limits: GuardLimits | undefined;
  private mainRequestId: string | undefined;
  private hops = 0;
  /** Why the current navigation was stopped, if it was. */
  tripped: GuardTrip | undefined;
  /** The main document's response, once it arrived. */
  main: MainResponseInfo | undefined;
  /** The stop navigation in flight, awaited before the page is reused. */
  stopping: Promise<unknown> | undefined;

  private constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
    private readonly mainFrameId: string,
  ) {
    cdp.on('Network.requestWillBeSent', (e) => this.onRequest(e as RequestWillBeSent));
    cdp.on('Network.responseReceived', (e) => this.onResponse(e as ResponseReceived));
    cdp.on('Network.dataReceived', (e) =>
      this.onData(e as { requestId: string; dataLength: number; encodedDataLength: number }),
    );
  }

  static async attach(page: Page): Promise<PageGuard> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const tree = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    return new PageGuard(page, cdp, tree.frameTree.frame.id);
  }

  /** Starts watching the next navigation. */
  arm(limits: GuardLimits): void {
    this.limits = limits;
    this.mainRequestId = undefined;
    this.hops = 0;
    this.tripped = undefined;
    this.main = undefined;
    this.stopping = undefined;
  }

  disarm(): void {
    this.limits = undefined;
  }

  private onRequest(e: RequestWillBeSent): void {
    if (!this.limits || e.type !== 'Document' || e.frameId !== this.mainFrameId || this.tripped) return;
    if (e.redirectResponse === undefined) return;
    this.hops++;
    if (this.hops > (this.limits.maxRedirects ?? Number.POSITIVE_INFINITY))
      this.trip({ kind: 'redirects', hops: this.hops, to: e.request.url });
  }

  private onResponse(e: ResponseReceived): void {
    if (!this.limits || e.type !== 'Document' || e.frameId !== this.mainFrameId || this.tripped) return;
    this.mainRequestId = e.requestId;
    const { status, mimeType, headers } = e.response;
    this.main = { status, mimeType, bytes: 0 };
    const length = Number(headerValue(headers, 'content-length') ?? Number.NaN);
    if (Number.isFinite(length) && length > this.limits.maxBytes)
      this.trip({ kind: 'too-large', bytes: length });
    else if (status >= 200 && status < 300 && !this.limits.acceptTypes.includes(mimeType.toLowerCase())) {
      this.trip({ kind: 'not-html', mimeType, status });
    }
  }

  private onData(e: { requestId: string; dataLength: number; encodedDataLength: number }): void {
    if (!this.limits || e.requestId !== this.mainRequestId || !this.main || this.tripped) return;
    this.main.bytes += Math.max(e.encodedDataLength, e.dataLength);
    if (this.main.bytes > this.limits.maxBytes) this.trip({ kind: 'too-large', bytes: this.main.bytes });
  }

  private trip(t: GuardTrip): void {
    this.tripped = t;
    this.stopping = this.page.goto('about:blank', { timeout: 10_000 }).catch(() => undefined);
  }

  async detach(): Promise<void> {
    await this.cdp.detach().catch(() => undefined);
  }
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}
