/**
 * Test helpers of @dlpipe/scrape (`@dlpipe/scrape/testing`): the misbehaving local site the
 * crawler tests run against, and a per-URL view of a crawl's outcomes.
 *
 *   import { outcomes, startTestSite } from '@dlpipe/scrape/testing';
 */
export * from './outcomes.js';
export * from './test-site.js';
