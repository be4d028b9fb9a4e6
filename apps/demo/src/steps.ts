/** The demo's steps, each calling one package and returning a one-line summary. */
import { selfTrainDemo } from '@dlpipe/label';
import { crawlDemoSite } from '@dlpipe/scrape';
import { trainLenetDemo } from '@dlpipe/vision';
import type { DemoOptions } from './args.js';
import { trainMlp } from './train-mlp.js';

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
  if (o.model === 'mlp') {
    const r = await trainMlp(
      { ...o, epochs: o.epochs ?? 1, out: dir },
      await (await import('@dlpipe/tensor')).describeBackend(),
    );
    return `${r.dataset}: MLP test accuracy ${r.testAccuracy.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)} (backend ${r.backend}, ${r.seconds.toFixed(1)} s)\nwrote ${r.files.join(', ')}`;
  }
  const r = await trainLenetDemo({
    outDir: dir,
    epochs: o.epochs ?? 10,
    limit: o.limit || undefined,
    seed: o.seed,
    dataset: o.dataset,
  });
  return `${r.dataset}: LeNet test accuracy ${r.testAccuracy.toFixed(4)}\nwrote ${r.files.join(', ')}`;
}
