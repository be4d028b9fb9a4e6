/**
 * Test helper: what happened to each request of a crawl, keyed by path and query.
 *
 *   const o = await outcomes(crawler.queue, site.url);
 *   o.get('/gone'); // { status: 'failed', attempts: 1, error: 'http://…/gone: HTTP 410 Gone …', httpStatus: 410 }
 */
import { REQUEST_STATUSES, type RequestQueue, type RequestStatus } from '../storage/types.js';

export interface Outcome {
  status: RequestStatus;
  attempts: number;
  error: string | undefined;
  httpStatus: number | undefined;
  depth: number;
}

export async function outcomes(queue: RequestQueue, base: string): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const status of REQUEST_STATUSES) {
    for (const r of await queue.list(status, 10_000)) {
      const key = r.url.startsWith(base) ? r.url.slice(base.length) : r.url;
      out.set(key, {
        status,
        attempts: r.attempts,
        error: r.lastError,
        httpStatus: r.httpStatus,
        depth: r.depth,
      });
    }
  }
  return out;
}
