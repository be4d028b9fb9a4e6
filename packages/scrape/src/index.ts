/**
 * @dlpipe/scrape — crawling with headless Chromium (playwright-core): a persistent request queue,
 * robots.txt and per-host politeness, retries with backoff, CSS or TS extraction, image datasets
 * with a manifest, job files, a cron scheduler and JSONL/CSV/Feather export.
 *
 *   import { Crawler, openSqliteStore, loadJob, runJob } from '@dlpipe/scrape';
 *   const crawler = new Crawler({ startUrls: ['http://127.0.0.1:8080/'], extract: { fields: { title: 'h1' } } });
 *   const summary = await crawler.run();
 */
export * from './browser/browser-pool.js';
export * from './browser/find-chromium.js';
export * from './crawler/crawl-options.js';
export * from './crawler/crawl-progress-bar.js';
export * from './crawler/crawler.js';
export * from './errors.js';
export * from './export/export-rows.js';
export * from './export/export-run.js';
export * from './extract/extract-spec.js';
export * from './jobs/job-directory.js';
export * from './jobs/job-schema.js';
export * from './jobs/load-job.js';
export * from './jobs/run-job.js';
export * from './politeness/backoff.js';
export * from './politeness/host-gate.js';
export * from './robots/robots-cache.js';
export * from './robots/robots-txt.js';
export * from './schedule/missed-runs.js';
export * from './schedule/scheduler.js';
export * from './site/local-site.js';
export * from './storage/memory-store.js';
export * from './storage/sqlite-store.js';
export * from './storage/types.js';
export * from './url/normalize-url.js';
export * from './url/url-filter.js';
