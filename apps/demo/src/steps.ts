/** The demo's steps, each calling one stage of the pipeline and returning its summary lines. */
import type { DemoOptions, DemoStep } from './options.js';
import { crawlShop } from './pipeline/crawl-shop.js';
import { labelShop } from './pipeline/label-shop.js';
import { writeReport } from './pipeline/report.js';
import { trainShop } from './pipeline/train-shop.js';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export async function runCrawl(o: DemoOptions): Promise<string> {
  const r = await crawlShop(o.out, { seed: o.seed, size: o.products });
  return (
    `crawled ${r.pages} pages (${r.skipped} left out by robots.txt, ${r.failed} failed): ` +
    `${r.products} products, ${r.images} photos (${r.seconds.toFixed(1)} s)\nwrote ${r.dataset}, ${r.manifest}`
  );
}

export async function runLabel(o: DemoOptions): Promise<string> {
  const r = await labelShop(o.out, {
    seed: o.seed,
    features: o.features,
    compare: o.compareFeatures,
    threshold: o.threshold,
  });
  const lines = Object.values(r.features).map(
    (f) =>
      `${f.backbone}: held-out accuracy ${pct(f.labeled_only_test_accuracy)} labeled-only → ` +
      `${pct(f.self_trained_test_accuracy)} self-trained; ${f.pseudo_labeled} pseudo-labels, ${pct(f.pseudo_label_accuracy)} right`,
  );
  return [
    `${r.labeled} scraped labels, ${r.pool - r.labeled} unlabeled, ${r.test} held out, ${r.unreadable.length} photos unusable`,
    ...lines,
    `review queue: ${r.review} (${r.seconds.toFixed(1)} s)`,
  ].join('\n');
}

export async function runTrain(o: DemoOptions): Promise<string> {
  const r = await trainShop(o.out, { seed: o.seed, model: o.model, steps: o.trainSteps, lr: o.lr });
  const a = r.test_accuracy;
  return (
    `${r.model}, ${r.steps} steps each (${r.pseudo_labels_used} pseudo-labels the labeled-only CNN agreed with), ` +
    `test accuracy on ${r.test_images} held-out products: ` +
    `labeled-only ${pct(a.labeled_only)}, self-trained ${pct(a.self_trained)}, fully supervised ${pct(a.fully_supervised)} ` +
    `(${r.seconds.toFixed(1)} s)`
  );
}

export async function runReport(o: DemoOptions): Promise<string> {
  const r = await writeReport(o.out);
  return (
    `self-training gain ${(100 * r.self_training_gain).toFixed(1)} points; all steps ${r.seconds.toFixed(1)} s\n` +
    `wrote ${r.files.join(', ')}`
  );
}

/** Each step's runner. */
export const STEPS: Record<DemoStep, (o: DemoOptions) => Promise<string>> = {
  crawl: runCrawl,
  label: runLabel,
  train: runTrain,
  report: runReport,
};
