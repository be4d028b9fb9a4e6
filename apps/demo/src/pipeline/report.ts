/**
 * Step 4 of `pnpm demo`: what each step contributed, from the steps' hand-over files —
 * `report.json` (pages, images, labeled, pseudo_labeled, pseudo_label_accuracy, test_accuracy
 * {labeled_only, self_trained, fully_supervised}, seconds, and the details), `accuracy.png` and a
 * `report.html` page that shows the figures the steps wrote.
 *
 *   const r = await writeReport('runs/demo');   // runs/demo/report.json, report.html, accuracy.png
 */
import { join, relative } from 'node:path';
import { writeFileAtomic } from '@dlpipe/core';
import { barChart, writeFigure } from '@dlpipe/plot';
import type { LabelOutput } from './label-shop.js';
import { type CrawlOutput, readStepFile } from './step-files.js';
import type { TrainOutput } from './train-shop.js';

export interface DemoReport {
  pages: number;
  images: number;
  labeled: number;
  pseudo_labeled: number;
  pseudo_label_accuracy: number;
  test_accuracy: { labeled_only: number; self_trained: number; fully_supervised: number };
  /** Wall time of the steps (crawl, label, train, report), summed. */
  seconds: number;
  /** self_trained − labeled_only test accuracy. */
  self_training_gain: number;
  /** Pseudo-labels the self-trained CNN used (those the labeled-only CNN agreed with). */
  pseudo_labels_used: number;
  products: number;
  unreadable_images: number;
  test_images: number;
  features: string;
  feature_comparison: Record<
    string,
    { labeled_only_test_accuracy: number; self_trained_test_accuracy: number; pseudo_label_accuracy: number }
  >;
  model: string;
  seconds_per_step: { crawl: number; label: number; train: number; report: number };
  seed: number;
  files: string[];
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

function html(r: DemoReport, out: string, figures: Array<{ title: string; file: string }>): string {
  const rows: Array<[string, string]> = [
    ['pages crawled', String(r.pages)],
    ['products / photos saved', `${r.products} / ${r.images} (${r.unreadable_images} unusable)`],
    ['labels scraped (category shown on the page)', String(r.labeled)],
    [
      'pseudo-labeled',
      `${r.pseudo_labeled} (${pct(r.pseudo_label_accuracy)} right against the held-out truth)`,
    ],
    ['pseudo-labels the labeled-only CNN agreed with (used for training)', String(r.pseudo_labels_used)],
    ['held-out test products', String(r.test_images)],
    ['test accuracy, labeled only', pct(r.test_accuracy.labeled_only)],
    [
      'test accuracy, self-trained',
      `${pct(r.test_accuracy.self_trained)} (${r.self_training_gain >= 0 ? '+' : ''}${(100 * r.self_training_gain).toFixed(1)} points)`,
    ],
    ['test accuracy, fully supervised (upper bound)', pct(r.test_accuracy.fully_supervised)],
    [
      'seconds per step',
      Object.entries(r.seconds_per_step)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(', '),
    ],
    ['total seconds', r.seconds.toFixed(1)],
  ];
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dlpipe demo: scrape → label → train</title>
<style>body{font-family:sans-serif;max-width:980px;margin:2em auto}td,th{padding:.25em .8em;text-align:left}
tr:nth-child(even){background:#f4f4f4}figure{margin:1.5em 0}img{max-width:100%;border:1px solid #ddd}</style></head>
<body><h1>scrape → label → train</h1>
<p>A shop of clothing photos was crawled; ${r.labeled} of its pages named the product's category. Self-training
(${esc(r.features)} features, logistic regression) pseudo-labeled the rest, and a CNN (${esc(r.model)}) was trained on the
scraped labels alone, on labels + pseudo-labels, and on the true labels of every product, each scored on
${r.test_images} held-out products.</p>
<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>
${figures.map((f) => `<figure><figcaption>${esc(f.title)}</figcaption><img src="${esc(relative(out, f.file))}" alt="${esc(f.title)}"></figure>`).join('\n')}
</body></html>
`;
}

export async function writeReport(out: string): Promise<DemoReport> {
  const started = performance.now();
  const crawl = readStepFile<CrawlOutput>(out, 'crawl');
  const label = readStepFile<LabelOutput>(out, 'label');
  const train = readStepFile<TrainOutput>(out, 'train');
  const acc = train.test_accuracy;
  const accuracyFiles = writeFigure(
    barChart({
      title: `Test accuracy on ${train.test_images} held-out products`,
      bars: [
        { label: `labeled only (${label.labeled})`, value: acc.labeled_only },
        { label: `self-trained (${label.labeled} + ${train.pseudo_labels_used})`, value: acc.self_trained },
        { label: `fully supervised (${label.pool})`, value: acc.fully_supervised },
      ],
      max: 1,
      reference: { value: 1 / label.categories.length, label: 'chance' },
    }),
    join(out, 'accuracy'),
  );
  const figures = [
    { title: 'Test accuracy of the CNN per label set', file: join(out, 'accuracy.png') },
    {
      title: 'Self-training: held-out accuracy and labeled items per round',
      file: join(out, 'label', 'self-training.png'),
    },
    { title: 'Review queue: the least confident pseudo-labels', file: join(out, 'label', 'review.png') },
    {
      title: 'Self-trained CNN: training curves',
      file: join(train.variants.self_trained.run_dir, 'curves.png'),
    },
    {
      title: 'Self-trained CNN: confusion matrix',
      file: join(train.variants.self_trained.run_dir, 'confusion-matrix.png'),
    },
    {
      title: 'Self-trained CNN: misclassified test photos',
      file: join(train.variants.self_trained.run_dir, 'misclassified.png'),
    },
  ];
  const report: DemoReport = {
    pages: crawl.pages,
    images: crawl.images,
    labeled: label.labeled,
    pseudo_labeled: label.pseudo_labeled,
    pseudo_label_accuracy: label.pseudo_label_accuracy,
    test_accuracy: { ...acc },
    seconds: 0,
    self_training_gain: acc.self_trained - acc.labeled_only,
    pseudo_labels_used: train.pseudo_labels_used,
    products: crawl.products,
    unreadable_images: label.unreadable.length,
    test_images: train.test_images,
    features: label.chosen,
    feature_comparison: Object.fromEntries(
      Object.entries(label.features).map(([k, f]) => [
        k,
        {
          labeled_only_test_accuracy: f.labeled_only_test_accuracy,
          self_trained_test_accuracy: f.self_trained_test_accuracy,
          pseudo_label_accuracy: f.pseudo_label_accuracy,
        },
      ]),
    ),
    model: train.model,
    seconds_per_step: { crawl: crawl.seconds, label: label.seconds, train: train.seconds, report: 0 },
    seed: train.seed,
    files: [join(out, 'report.json'), join(out, 'report.html'), ...accuracyFiles],
  };
  report.seconds_per_step.report = (performance.now() - started) / 1000;
  report.seconds = Object.values(report.seconds_per_step).reduce((a, b) => a + b, 0);
  await writeFileAtomic(join(out, 'report.html'), html(report, out, figures));
  await writeFileAtomic(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
