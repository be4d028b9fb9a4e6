/**
 * Everything done with one page after it loaded: wait conditions, extraction (CSS extractors in
 * one in-page call, or the job's function), links and pagination to follow, images and a
 * screenshot. Returns what the queue stores in one transaction.
 *
 *   const commit = await handlePage({ lease, request, options, filter, outDir });
 */
import { join } from 'node:path';
import { ensureDir, writeFileAtomicSync } from '@dlpipe/core';
import type { PageLease } from '../browser/browser-pool.js';
import { RetryRequestError } from '../errors.js';
import { resolveFields } from '../extract/extract-spec.js';
import { type PageScriptSpec, runPageScript } from '../extract/page-script.js';
import { ImageCapture } from '../media/image-capture.js';
import type { CrawlRequest, NewRequest, PageCommit } from '../storage/types.js';
import { normalizeUrl } from '../url/normalize-url.js';
import { compilePattern, type UrlFilter, type UrlPattern } from '../url/url-filter.js';
import type { ResolvedCrawlOptions } from './crawl-options.js';
import { visitPage } from './visit-page.js';

/** Inputs of `handlePage`. */
export interface HandlePageInput {
  lease: PageLease;
  request: CrawlRequest;
  options: ResolvedCrawlOptions;
  filter: UrlFilter;
  /** Where images and screenshots go (required when they are on). */
  outDir: string | undefined;
  /** Notes (images left out …). */
  log?: (message: string) => void;
}

/** True when `url` matches one of the patterns, or there are none. */
function matches(url: string, match: UrlPattern | UrlPattern[] | undefined): boolean {
  if (match === undefined) return true;
  const u = new URL(url);
  return [match].flat().some((p) => compilePattern(p)(u));
}

/** The pagination page number carried in a request's label (`pagination:3`), 1 for others. */
function listingPage(label: string | undefined): number {
  const m = /^pagination:(\d+)$/.exec(label ?? '');
  return m ? Number(m[1]) : 1;
}

function option<T extends object>(v: boolean | T): T | undefined {
  return v === true ? ({} as T) : v === false ? undefined : v;
}

export async function handlePage(input: HandlePageInput): Promise<PageCommit> {
  const { lease, request, options: o, filter } = input;
  const imageOpts = option(o.images);
  const wantImages = imageOpts !== undefined && matches(request.url, imageOpts.match);
  const capture = wantImages ? ImageCapture.attach(lease.page) : undefined;
  try {
    const visit = await visitPage(lease, request.url, o);
    const url = visit.loadedUrl;
    if (o.wait.selector) await waitSelector(input, o.wait.selector, o.wait.selectorRequired);
    const css = typeof o.extract === 'function' ? [] : o.extract.filter((x) => matches(url, x.match));
    for (const x of css) if (x.waitFor) await waitSelector(input, x.waitFor, true);
    const spec: PageScriptSpec = {
      extractors: css.map((x) => ({ items: x.items, fields: resolveFields(x.fields) })),
      links: o.linkSelector === false ? null : o.linkSelector,
      next: o.pagination?.next ?? null,
      images: wantImages ? (imageOpts.selector ?? 'img') : null,
    };
    const out = await runPageScript(lease.page, spec);
    let records: Record<string, unknown>[] = out.records.flat().map((r) => ({ url, ...r }));
    const extra: string[] = [];
    if (typeof o.extract === 'function') {
      const returned = await o.extract({
        page: lease.page,
        response: visit.response,
        request,
        url,
        enqueue: (urls) => extra.push(...urls),
      });
      records = (returned === undefined ? [] : [returned].flat()).map((r) => ({ url, ...r }));
    } else if (o.extract.length === 0) {
      records = [{ url, title: out.title }];
    }
    const links = collectLinks(request, [...out.links, ...extra], out.next, o, filter);
    const screenshots = option(o.screenshots);
    if (screenshots && matches(url, screenshots.match) && input.outDir) {
      const file = `screenshots/${request.id}.png`;
      ensureDir(join(input.outDir, 'screenshots'), 'screenshot folder');
      const png = await lease.page.screenshot({
        fullPage: screenshots.fullPage ?? false,
        timeout: o.timeoutMs,
      });
      // atomically: a kill mid-write leaves no half PNG for the resumed run to keep
      writeFileAtomicSync(
        join(input.outDir, file),
        new Uint8Array(png.buffer, png.byteOffset, png.byteLength),
      );
      records = records.map((r) => ({ ...r, screenshot: file }));
    }
    let images: PageCommit['images'] = [];
    if (capture && input.outDir && out.images.length) {
      const saved = await capture.save(out.images, {
        dir: join(input.outDir, 'images'),
        pageUrl: url,
        maxBytes: imageOpts?.maxBytes ?? 20_000_000,
        minWidth: imageOpts?.minWidth ?? 1,
        minHeight: imageOpts?.minHeight ?? 1,
        timeoutMs: o.timeoutMs,
      });
      images = saved.rows;
      for (const s of saved.skipped) input.log?.(`image left out: ${s} (on ${url})`);
    }
    return { records, images, links, httpStatus: visit.status, loadedUrl: url };
  } finally {
    capture?.detach();
  }
}

async function waitSelector(input: HandlePageInput, selector: string, required: boolean): Promise<void> {
  const { lease, request, options: o } = input;
  // Usually the content is there by the load event: one evaluate answers that, where
  // waitForSelector's polling costs ~30 ms a page on 2 cores.
  const found = await lease.page.$(selector).catch(() => null);
  if (found) {
    found.dispose().catch(() => undefined);
    return;
  }
  try {
    await lease.page.waitForSelector(selector, { state: 'attached', timeout: o.wait.selectorTimeoutMs });
  } catch (err) {
    if (!required) return;
    throw new RetryRequestError(
      request.url,
      `selector '${selector}' did not appear within ${o.wait.selectorTimeoutMs} ms (JS-rendered content missing?)`,
      { cause: err, code: 'WAIT_SELECTOR' },
    );
  }
}

/** Discovered links → new requests: normalized, in scope, include/exclude, depth and pagination limits. */
export function collectLinks(
  request: CrawlRequest,
  links: readonly string[],
  next: readonly string[],
  o: Pick<ResolvedCrawlOptions, 'maxDepth' | 'pagination'>,
  filter: UrlFilter,
): NewRequest[] {
  const out: NewRequest[] = [];
  const seen = new Set<string>();
  const page = listingPage(request.label);
  if (o.pagination && page < (o.pagination.maxPages ?? 100)) {
    for (const href of next) {
      const url = normalizeUrl(href);
      if (!url || seen.has(url) || !filter.inScope(url)) continue;
      seen.add(url);
      out.push({
        url,
        depth: request.depth,
        priority: 1,
        label: `pagination:${page + 1}`,
        parentId: request.id,
      });
    }
  }
  if (request.depth + 1 > o.maxDepth) return out;
  for (const href of links) {
    const url = normalizeUrl(href);
    if (!url || seen.has(url) || !filter.accepts(url)) continue;
    seen.add(url);
    out.push({ url, depth: request.depth + 1, label: 'link', parentId: request.id });
  }
  return out;
}
