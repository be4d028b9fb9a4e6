/**
 * Runs the in-page extraction script (page-script.js, plain JavaScript read as text) on a page.
 *
 *   const out = await runPageScript(page, { extractors, links: 'a[href]', next: null, images: null });
 *   out.records[0]; out.links; out.next; out.images; out.title;
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { FoundImage } from '../media/image-capture.js';
import type { ResolvedField } from './extract-spec.js';

/** What the page script is asked for. */
export interface PageScriptSpec {
  extractors: { items?: string; fields: Record<string, ResolvedField> }[];
  /** Links to follow, or null for none. */
  links: string | null;
  /** Pagination "next" links, or null. */
  next: string | null;
  /** Images to list, or null. */
  images: string | null;
}

/** What it returns: records per extractor, absolute link URLs, images, the title. */
export interface PageScriptResult {
  records: Record<string, unknown>[][];
  links: string[];
  next: string[];
  images: FoundImage[];
  title: string;
}

const SOURCE = readFileSync(new URL('./page-script.js', import.meta.url), 'utf8')
  .replace(/^\s*\/\/.*$/gm, '')
  .trim()
  .replace(/;$/, '');

export function runPageScript(page: Page, spec: PageScriptSpec): Promise<PageScriptResult> {
  return page.evaluate(`(${SOURCE})(${JSON.stringify(spec)})`) as Promise<PageScriptResult>;
}
