/**
 * The shapes around a `Crawler`: its options (crawl options plus storage, output and hooks), the
 * progress snapshots it reports and the summary it returns.
 *
 *   const options: CrawlerOptions = { startUrls: ['http://127.0.0.1:8080/'], onProgress: (p) => p.counts.done };
 */
import type { Dataset, QueueCounts, RequestQueue } from '../storage/types.js';
import type { CrawlOptions } from './crawl-options.js';

/** Where a crawl's messages go. */
export type CrawlLog = (level: 'debug' | 'info' | 'warn', message: string) => void;

/** Counts of this session of a crawl (a resumed run starts a new session). */
export interface SessionStats {
  done: number;
  failed: number;
  skipped: number;
  retries: number;
  records: number;
  images: number;
  elapsedS: number;
  /** Pages handled (done, failed, skipped) per minute. */
  pagesPerMin: number;
}

/** A snapshot for progress displays. */
export interface CrawlProgress {
  session: SessionStats;
  /** The whole queue, over all sessions. */
  counts: QueueCounts;
  inFlight: number;
}

export interface CrawlSummary {
  /** 'interrupted' when `stop()` ended it with requests left. */
  status: 'finished' | 'interrupted';
  reason: 'queue-empty' | 'max-pages' | 'stopped';
  counts: QueueCounts;
  session: SessionStats;
  /** Records and images in the dataset (all sessions). */
  records: number;
  images: number;
}

export interface CrawlerOptions extends CrawlOptions {
  /** Default: a fresh in-memory queue (with `dataset`). */
  queue?: RequestQueue;
  dataset?: Dataset;
  /** Where images and screenshots are written; required when either is on. */
  outDir?: string;
  /** Browser settings (executable, headless, extra flags). */
  browser?: { executablePath?: string; headless?: boolean; args?: string[] };
  log?: CrawlLog;
  /** Called about once a second and at the end. */
  onProgress?: (progress: CrawlProgress) => void;
  /** Jitter source (tests). Default Math.random. */
  random?: () => number;
}
