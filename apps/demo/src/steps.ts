/** The demo's steps, each calling one job and returning its summary lines. */
import { crawlDemoSite } from './crawl-demo-site.js';
import type { DemoOptions, DemoStep } from './options.js';
import { selfTrainDemo } from './self-train-demo.js';
import { trainDemo } from './train-demo.js';

export async function runCrawl(_o: DemoOptions, dir: string): Promise<string> {
  const r = await crawlDemoSite(dir);
  return (
    `crawled ${r.pages} pages (${r.skipped} left out by robots.txt, ${r.failed} failed): ` +
    `${r.records} records, ${r.images} images\nwrote ${r.exported.join(', ')}`
  );
}

export async function runLabel(o: DemoOptions, dir: string): Promise<string> {
  const r = await selfTrainDemo(dir, { seed: o.seed });
  return (
    `${r.dataset}, ${r.labeled} labeled + ${r.unlabeled} unlabeled rows: holdout accuracy ` +
    `${r.labeledOnly.toFixed(4)} labeled-only → ${r.selfTrained.toFixed(4)} self-trained ` +
    `(${r.nIter} iterations, ${r.terminationCondition})\nwrote ${r.files.join(', ')}`
  );
}

export async function runTrain(o: DemoOptions, dir: string): Promise<string> {
  const r = await trainDemo(o, dir);
  return (
    `${r.dataset}: ${r.model} test accuracy ${r.testAccuracy.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)} ` +
    `(backend ${r.backend}, ${r.seconds.toFixed(1)} s)\nwrote ${r.files.join(', ')}`
  );
}

/** Each step and the folder under `--out` it writes to. */
export const STEPS: Record<DemoStep, { dir: string; run(o: DemoOptions, dir: string): Promise<string> }> = {
  crawl: { dir: 'scrape', run: runCrawl },
  label: { dir: 'label', run: runLabel },
  train: { dir: 'train', run: runTrain },
};
