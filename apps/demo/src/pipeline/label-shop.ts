/**
 * Step 2 of `pnpm demo`: label the crawled products semi-supervised. The few categories the shop
 * showed are the labels; every photo is embedded (nsfwjs's pretrained MobileNetV2, and raw pixels
 * to compare); scikit-learn-style self-training with logistic regression pseudo-labels the rest.
 * The scraped labels (source 'imported') and the pseudo-labels with their confidences go into the
 * SQLite label store, the least confident ones into a review queue (CSV + PNG contact sheet).
 * Test accuracy and pseudo-label accuracy are scored against the held-out truth.
 *
 *   const r = await labelShop('runs/demo', { seed: 42 });
 *   // { labeled: 100, pseudo_labeled: 1390, pseudo_label_accuracy: 0.83, … } + runs/demo/label/label.json
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir } from '@dlpipe/core';
import {
  accuracy,
  type LabelRecord,
  LogisticRegression,
  type Matrix,
  openLabelStore,
  SelfTrainingClassifier,
  type SelfTrainRound,
  takeRows,
  writeRoundsFigure,
} from '@dlpipe/label';
import { type EmbeddingBackbone, embedImages } from '@dlpipe/vision';
import { writeCsvRows } from './csv-rows.js';
import { writeReviewSheet } from './review-sheet.js';
import { isHeldOut, readScrapedItems, readTruth, type ScrapedItem } from './scraped-items.js';
import { type CrawlOutput, readStepFile, writeStepFile } from './step-files.js';

export interface LabelShopOptions {
  seed?: number;
  /** Features the pseudo-labels come from. Default 'pixels' (see the README: on these photos they beat nsfwjs's MobileNetV2). */
  features?: EmbeddingBackbone;
  /** Also self-train on the other kind of features and report both. Default false. */
  compare?: boolean;
  /** Self-training threshold on the top probability. Default 0.9. */
  threshold?: number;
  /** Logistic regression's C. Default 1. */
  C?: number;
  /** Pseudo-labels queued for review, least confident first. Default 48. */
  review?: number;
  progress?: boolean;
}

/** What the self-training gave on one kind of features. */
export interface FeatureResult {
  backbone: EmbeddingBackbone;
  dim: number;
  /** Logistic regression on the scraped labels only, scored on the held-out products. */
  labeled_only_test_accuracy: number;
  /** The same after self-training. */
  self_trained_test_accuracy: number;
  pseudo_labeled: number;
  /** Share of pseudo-labels equal to the true category. */
  pseudo_label_accuracy: number;
  iterations: number;
  rounds: SelfTrainRound[];
  seconds: number;
}

export interface LabelOutput {
  /** Products crawled, with a readable photo, with a scraped category. */
  items: number;
  with_photo: number;
  unreadable: Array<{ sku: string; reason: string }>;
  labeled: number;
  /** Items self-training may use (not held out), and the held-out test items. */
  pool: number;
  test: number;
  features: Record<string, FeatureResult>;
  chosen: EmbeddingBackbone;
  pseudo_labeled: number;
  pseudo_label_accuracy: number;
  /** Every labeled pool item: sku, file, label, source, confidence, iteration. */
  labels: string;
  /** Every pool item (labeled or not): sku, file. */
  pool_items: string;
  /** The held-out items: sku, file. */
  test_items: string;
  store: string;
  review: string;
  categories: string[];
  files: string[];
  seed: number;
  seconds: number;
}

interface Split {
  items: ScrapedItem[];
  X: Matrix;
  pool: number[];
  test: number[];
}

function standardize(X: Matrix, rows: number[]): Matrix {
  const [, d] = X.shape;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += X.data[r * d + j]! / rows.length;
  for (const r of rows)
    for (let j = 0; j < d; j++) sq[j]! += (X.data[r * d + j]! - mean[j]!) ** 2 / rows.length;
  const out = new Float32Array(X.data.length);
  for (let i = 0; i < X.shape[0]; i++) {
    for (let j = 0; j < d; j++) out[i * d + j] = (X.data[i * d + j]! - mean[j]!) / (Math.sqrt(sq[j]!) || 1);
  }
  return { data: out, shape: X.shape };
}

async function selfTrain(
  s: Split,
  y: Int32Array,
  truth: Int32Array,
  o: Required<Pick<LabelShopOptions, 'threshold' | 'C' | 'progress'>>,
): Promise<{ st: SelfTrainingClassifier; result: Omit<FeatureResult, 'backbone' | 'dim' | 'seconds'> }> {
  const X = takeRows(s.X, s.pool);
  const Xt = takeRows(s.X, s.test);
  const yt = Int32Array.from(s.test, (i) => truth[i]!);
  const rounds: SelfTrainRound[] = [];
  let labeled = y.filter((v) => v >= 0).length;
  const st = new SelfTrainingClassifier(new LogisticRegression({ C: o.C, warmStart: true }), {
    threshold: o.threshold,
    maxIter: 10,
    progress: o.progress,
    onIteration: async (info) => {
      rounds.push({
        round: info.iteration - 1,
        labeled,
        holdoutAccuracy: await accuracy(info.classifier, Xt, yt),
      });
      labeled = info.labeled;
    },
  });
  await st.fit(X, y);
  const selfTrained = await accuracy(st, Xt, yt);
  rounds.push({ round: st.nIter, labeled, holdoutAccuracy: selfTrained });
  const pseudo = [...st.labeledIter.keys()].filter((i) => st.labeledIter[i]! > 0);
  const right = pseudo.filter((i) => st.transduction[i] === truth[s.pool[i]!]).length;
  return {
    st,
    result: {
      labeled_only_test_accuracy: rounds[0]!.holdoutAccuracy!,
      self_trained_test_accuracy: selfTrained,
      pseudo_labeled: pseudo.length,
      pseudo_label_accuracy: right / Math.max(1, pseudo.length),
      iterations: st.nIter,
      rounds,
    },
  };
}

export async function labelShop(out: string, options: LabelShopOptions = {}): Promise<LabelOutput> {
  const started = performance.now();
  const crawl = readStepFile<CrawlOutput>(out, 'crawl');
  const o = {
    seed: crawl.seed,
    features: 'pixels' as EmbeddingBackbone,
    compare: false,
    threshold: 0.9,
    C: 1,
    review: 48,
    progress: true,
    ...options,
  };
  const dir = join(out, 'label');
  ensureDir(dir, 'label output folder');
  const categories = crawl.categories;
  const classOf = new Map(categories.map((c, i) => [c, i]));
  const truthBySku = readTruth(crawl.truth);
  const all = readScrapedItems(crawl);
  const withPhoto = all.filter((it) => it.file !== null);
  const features: Record<string, FeatureResult> = {};
  let chosen: { st: SelfTrainingClassifier; split: Split; y: Int32Array } | undefined;
  const unreadable = all
    .filter((it) => it.file === null)
    .map((it) => ({ sku: it.sku, reason: 'photo not downloaded' }));
  const other: EmbeddingBackbone = o.features === 'pixels' ? 'mobilenetv2' : 'pixels';
  for (const backbone of o.compare ? [o.features, other] : [o.features]) {
    const t0 = performance.now();
    const e = await embedImages(
      withPhoto.map((it) => it.file!),
      { backbone, progress: o.progress },
    );
    if (backbone === o.features) {
      for (const f of e.failed) unreadable.push({ sku: withPhoto[f.index]!.sku, reason: f.error });
    }
    const items = e.rows.map((r) => withPhoto[r]!);
    const isTest = items.map((it) => it.category === null && isHeldOut(it.sku, o.seed));
    const split: Split = {
      items,
      X: standardize(
        { data: e.features, shape: [items.length, e.dim] },
        [...items.keys()].filter((i) => !isTest[i]),
      ),
      pool: [...items.keys()].filter((i) => !isTest[i]),
      test: [...items.keys()].filter((i) => isTest[i]),
    };
    const truth = Int32Array.from(items, (it) => classOf.get(truthBySku.get(it.sku) ?? '') ?? -1);
    const y = Int32Array.from(split.pool, (i) =>
      items[i]!.category ? (classOf.get(items[i]!.category!) ?? -1) : -1,
    );
    const { st, result } = await selfTrain(split, y, truth, o);
    features[backbone] = { backbone, dim: e.dim, ...result, seconds: (performance.now() - t0) / 1000 };
    if (backbone === o.features) chosen = { st, split, y };
  }
  const { st, split, y } = chosen!;
  const rows = split.pool.map((i, k) => ({ item: split.items[i]!, k }));
  const labeledRows = rows.filter(({ k }) => st.transduction[k]! >= 0);
  const labelsCsv = join(dir, 'labels.csv');
  await writeCsvRows(
    labelsCsv,
    ['sku', 'file', 'label', 'source', 'confidence', 'iteration'],
    labeledRows.map(({ item, k }) => [
      item.sku,
      item.file,
      categories[st.transduction[k]!]!,
      y[k]! >= 0 ? 'imported' : 'pseudo',
      y[k]! >= 0 ? null : Number(st.labelConfidence[k]!.toFixed(6)),
      st.labeledIter[k]!,
    ]),
  );
  const poolCsv = join(dir, 'pool-items.csv');
  const skuFile = (i: number) => [split.items[i]!.sku, split.items[i]!.file];
  await writeCsvRows(poolCsv, ['sku', 'file'], split.pool.map(skuFile));
  const testCsv = join(dir, 'test-items.csv');
  await writeCsvRows(testCsv, ['sku', 'file'], split.test.map(skuFile));
  const storeFile = join(dir, 'labels.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(storeFile + suffix, { force: true });
  const store = openLabelStore(storeFile);
  let queue: LabelRecord[];
  try {
    store.add(
      labeledRows.map(({ item, k }) =>
        y[k]! >= 0
          ? { itemId: item.sku, label: categories[y[k]!]!, source: 'imported' as const, iteration: 0 }
          : {
              itemId: item.sku,
              label: categories[st.transduction[k]!]!,
              source: 'pseudo' as const,
              confidence: st.labelConfidence[k]!,
              iteration: st.labeledIter[k]!,
            },
      ),
    );
    queue = store.reviewQueue({ limit: o.review });
  } finally {
    store.close();
  }
  const fileOf = new Map(split.items.map((it) => [it.sku, it.file!]));
  const review = await writeReviewSheet(
    dir,
    queue.map((r) => ({ ...r, file: fileOf.get(r.itemId)! })),
  );
  const chosenResult = features[o.features]!;
  const files = [
    ...writeRoundsFigure(
      chosenResult.rounds,
      join(dir, 'self-training'),
      `Self-training on ${o.features} features, ${y.filter((v) => v >= 0).length} scraped labels (held-out accuracy)`,
    ),
    labelsCsv,
    poolCsv,
    testCsv,
    storeFile,
    ...review.files,
  ];
  const result: LabelOutput = {
    items: all.length,
    with_photo: split.items.length,
    unreadable,
    labeled: y.filter((v) => v >= 0).length,
    pool: split.pool.length,
    test: split.test.length,
    features,
    chosen: o.features,
    pseudo_labeled: chosenResult.pseudo_labeled,
    pseudo_label_accuracy: chosenResult.pseudo_label_accuracy,
    labels: labelsCsv,
    pool_items: poolCsv,
    test_items: testCsv,
    store: storeFile,
    review: review.csv,
    categories,
    files,
    seed: o.seed,
    seconds: (performance.now() - started) / 1000,
  };
  files.push(await writeStepFile(out, 'label', result));
  return result;
}
