/**
 * The crawl's output as items to label: each product record (dataset.jsonl) joined with its
 * downloaded photo (images/manifest.jsonl, by the photo's URL), the scraped category when the page
 * showed one; plus the demo's held-out test split (a seeded hash of the SKU, so it is the same in
 * every step and every run) and the true categories, read only for scoring.
 *
 *   const items = readScrapedItems(crawl);   // [{ sku, title, category: null, file: '…/3fa1….png' }, …]
 *   const test = isHeldOut(item.sku, 42);    // ~20% of the unlabeled items
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DemoInputError } from './step-files.js';

export interface ScrapedItem {
  sku: string;
  title: string;
  /** The category the page showed, or null. */
  category: string | null;
  photoUrl: string | null;
  /** The downloaded photo, or null when it failed to download. */
  file: string | null;
}

function readJsonl(file: string, what: string): Array<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DemoInputError(
      `cannot read the ${what} ${file} (${(err as Error).message}): run the 'crawl' step again`,
    );
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new DemoInputError(`${file}:${i + 1}: not JSON: run the 'crawl' step again`);
      }
    });
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Product records with their photos, sorted by SKU (the crawl's order varies; this does not). */
export function readScrapedItems(crawl: { dataset: string; manifest: string }): ScrapedItem[] {
  const files = new Map<string, string>();
  for (const row of readJsonl(crawl.manifest, 'image manifest')) {
    const src = str(row.src);
    const file = str(row.file);
    if (src && file) files.set(src, join(dirname(crawl.manifest), file));
  }
  const bySku = new Map<string, ScrapedItem>();
  for (const row of readJsonl(crawl.dataset, 'dataset')) {
    const sku = str(row.sku);
    if (!sku || bySku.has(sku)) continue;
    const photoUrl = str(row.photo);
    bySku.set(sku, {
      sku,
      title: str(row.title) ?? '',
      category: str(row.category),
      photoUrl,
      file: photoUrl ? (files.get(photoUrl) ?? null) : null,
    });
  }
  return [...bySku.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/** The true categories (sku → category) the crawl step wrote for scoring. */
export function readTruth(file: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const row of readJsonl(file, 'truth file')) {
    const sku = str(row.sku);
    const category = str(row.category);
    if (sku && category) m.set(sku, category);
  }
  return m;
}

/** Whether an unlabeled item is in the held-out test set: a seeded hash of its SKU below `share`. */
export function isHeldOut(sku: string, seed: number, share = 0.2): boolean {
  const h = createHash('sha256').update(`${seed}:${sku}`).digest();
  return h.readUInt32BE(0) / 2 ** 32 < share;
}
