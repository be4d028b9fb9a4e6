/**
 * Step 3 of `pnpm demo`: train a CNN (d2l §8.5 LeNet with batch norm) on the crawled photos three
 * times with the same settings and the same number of optimizer steps — on the scraped labels
 * only, on scraped labels + pseudo-labels (the label step's output, kept where the labeled-only
 * CNN agrees), and on the true labels of the whole pool (the upper bound a fully labeled crawl
 * would give) — each scored on the held-out products whose true category the demo knows.
 *
 *   const r = await trainShop('runs/demo', { seed: 42 });
 *   r.test_accuracy;  // { labeled_only: 0.62, self_trained: 0.74, fully_supervised: 0.80 }
 */
import { join } from 'node:path';
import { ensureDir } from '@dlpipe/core';
import { cosineLr, tensorDataSource, tf } from '@dlpipe/tensor';
import { decodeImage, trainClassifier } from '@dlpipe/vision';
import { readCsvRows } from './csv-rows.js';
import type { LabelOutput } from './label-shop.js';
import { readTruth } from './scraped-items.js';
import { type CrawlOutput, DemoInputError, readStepFile, writeStepFile } from './step-files.js';

export const TRAIN_VARIANTS = ['labeled_only', 'self_trained', 'fully_supervised'] as const;
export type TrainVariant = (typeof TRAIN_VARIANTS)[number];
/** Epochs of every run (validation on the held-out products after each). */
const EPOCHS = 20;

export interface TrainShopOptions {
  seed?: number;
  /** A zoo model taking 28×28×1. Default 'lenet-bn'. */
  model?: string;
  /** Optimizer steps of every variant (the same work for each). Default 600. */
  steps?: number;
  /** Default 64. */
  batchSize?: number;
  /** Default 0.01 (Adam). */
  lr?: number;
  /**
   * Keep only the pseudo-labels that the CNN trained on the scraped labels alone agrees with
   * (co-training's agreement: two learners on different views err differently). Default true.
   */
  agreement?: boolean;
  /**
   * How many times each scraped label counts in the self-trained run (the pseudo-labels once), so
   * the few sure labels are not drowned by the many less sure ones (the weight pseudo-labelling
   * papers give the labeled loss). Default 5.
   */
  labeledRepeat?: number;
  progress?: boolean;
}

export interface VariantResult {
  train_images: number;
  epochs: number;
  test_accuracy: number;
  macro_f1: number;
  seconds: number;
  run_dir: string;
}

export interface TrainOutput {
  model: string;
  /** Pseudo-labels the self-trained run used (those the labeled-only CNN agreed with, with `agreement`). */
  pseudo_labels_used: number;
  test_images: number;
  steps: number;
  batch_size: number;
  test_accuracy: Record<TrainVariant, number>;
  variants: Record<TrainVariant, VariantResult>;
  categories: string[];
  seed: number;
  seconds: number;
}

/** Decoded photos by file: every photo is decoded once, however many runs and repeats use it. */
export type PhotoCache = Map<string, Float32Array>;

/** One photo as 28×28 in [0, 1]: inverted so the studio background is 0 (as in Fashion-MNIST) and stretched to its full range (the dyes differ in brightness). */
async function decodePhoto(file: string): Promise<Float32Array> {
  const img = await decodeImage(file, { channels: 1, resize: { width: 28, height: 28 } });
  let [lo, hi] = [255, 0];
  for (let j = 0; j < 784; j++) {
    lo = Math.min(lo, img.data[j]!);
    hi = Math.max(hi, img.data[j]!);
  }
  const out = new Float32Array(784);
  for (let j = 0; j < 784; j++) out[j] = (hi - img.data[j]!) / Math.max(1, hi - lo);
  return out;
}

/** Photos as [N, 28, 28, 1] (see `decodePhoto`), decoding only those not in `cache`. */
export async function loadPhotos(files: string[], cache: PhotoCache = new Map()): Promise<tf.Tensor4D> {
  const missing = [...new Set(files)].filter((f) => !cache.has(f));
  const decoded = await Promise.all(missing.map(decodePhoto));
  for (const [i, f] of missing.entries()) cache.set(f, decoded[i]!);
  const data = new Float32Array(files.length * 784);
  for (const [i, f] of files.entries()) data.set(cache.get(f)!, i * 784);
  return tf.tensor4d(data, [files.length, 28, 28, 1]);
}

export async function trainShop(out: string, options: TrainShopOptions = {}): Promise<TrainOutput> {
  const started = performance.now();
  const crawl = readStepFile<CrawlOutput>(out, 'crawl');
  const label = readStepFile<LabelOutput>(out, 'label');
  const o = {
    seed: label.seed,
    model: 'lenet-bn',
    steps: 600,
    batchSize: 64,
    lr: 0.01,
    labeledRepeat: 5,
    agreement: true,
    progress: true,
    ...options,
  };
  const dir = join(out, 'train');
  ensureDir(dir, 'train output folder');
  const categories = label.categories;
  const classOf = new Map(categories.map((c, i) => [c, i]));
  const truth = readTruth(crawl.truth);
  const trueClass = (sku: string): number => {
    const c = classOf.get(truth.get(sku) ?? '');
    if (c === undefined)
      throw new DemoInputError(`no true category for ${sku} in ${crawl.truth}: run the 'crawl' step again`);
    return c;
  };
  const labels = await readCsvRows(label.labels, 'label');
  const testRows = await readCsvRows(label.test_items, 'label');
  const photos: PhotoCache = new Map();
  const test = {
    x: await loadPhotos(
      testRows.map((r) => r.file!),
      photos,
    ),
    y: tf.tensor1d(
      testRows.map((r) => trueClass(r.sku!)),
      'int32',
    ),
  };
  const sets: Record<TrainVariant, Array<{ file: string; y: number }>> = {
    labeled_only: labels
      .filter((r) => r.source === 'imported')
      .map((r) => ({ file: r.file!, y: classOf.get(r.label!)! })),
    self_trained: labels.flatMap((r) =>
      Array.from({ length: r.source === 'imported' ? o.labeledRepeat : 1 }, () => ({
        file: r.file!,
        y: classOf.get(r.label!)!,
      })),
    ),
    fully_supervised: (await readCsvRows(label.pool_items, 'label')).map((r) => ({
      file: r.file!,
      y: trueClass(r.sku!),
    })),
  };
  const variants = {} as Record<TrainVariant, VariantResult>;
  try {
    for (const v of TRAIN_VARIANTS) {
      const set = sets[v];
      // Every run makes `steps` optimizer steps in EPOCHS epochs: a small set is repeated within
      // an epoch (reshuffled as one), so validation runs as often for each.
      const repeat = Math.max(1, Math.round((o.steps * o.batchSize) / EPOCHS / set.length));
      const x = await loadPhotos(Array.from({ length: repeat }, () => set.map((s) => s.file)).flat(), photos);
      const y = tf.tensor1d(Array.from({ length: repeat }, () => set.map((s) => s.y)).flat(), 'int32');
      const epochs = Math.max(1, Math.round(o.steps / Math.ceil((set.length * repeat) / o.batchSize)));
      const runDir = join(dir, v);
      try {
        const r = await trainClassifier({
          model: o.model,
          train: tensorDataSource({ x, y }, { batchSize: o.batchSize, shuffle: true }),
          test,
          classNames: categories,
          epochs,
          optimizer: { name: 'adam', lr: o.lr },
          // decayed to 0 over the run, so the final model is not one noisy step's
          schedule: cosineLr({
            lr: o.lr,
            totalSteps: epochs * Math.ceil((set.length * repeat) / o.batchSize),
          }),
          runDir,
          seed: o.seed,
          progress: o.progress,
          extra: { variant: v, trainImages: set.length },
        });
        if (v === 'labeled_only' && o.agreement) {
          sets.self_trained = await agreedSet(r.net, labels, classOf, o.labeledRepeat, photos);
        }
        r.net.dispose();
        variants[v] = {
          train_images: set.length,
          epochs,
          test_accuracy: r.testAccuracy,
          macro_f1: r.macroF1,
          seconds: r.seconds,
          run_dir: runDir,
        };
      } finally {
        tf.dispose([x, y]);
      }
    }
  } finally {
    tf.dispose([test.x, test.y]);
  }
  const result: TrainOutput = {
    model: o.model,
    pseudo_labels_used:
      sets.self_trained.length - labels.filter((r) => r.source === 'imported').length * o.labeledRepeat,
    test_images: testRows.length,
    steps: o.steps,
    batch_size: o.batchSize,
    test_accuracy: {
      labeled_only: variants.labeled_only.test_accuracy,
      self_trained: variants.self_trained.test_accuracy,
      fully_supervised: variants.fully_supervised.test_accuracy,
    },
    variants,
    categories,
    seed: o.seed,
    seconds: (performance.now() - started) / 1000,
  };
  await writeStepFile(out, 'train', result);
  return result;
}

/** Scraped labels (repeated) + the pseudo-labels `net` predicts the same class for. */
async function agreedSet(
  net: tf.LayersModel,
  labels: Array<Record<string, string>>,
  classOf: Map<string, number>,
  labeledRepeat: number,
  photos: PhotoCache,
): Promise<Array<{ file: string; y: number }>> {
  const pseudo = labels.filter((r) => r.source === 'pseudo');
  const x = await loadPhotos(
    pseudo.map((r) => r.file!),
    photos,
  );
  const predicted = tf.tidy(() => (net.predict(x) as tf.Tensor).argMax(-1));
  const classes = await predicted.data();
  tf.dispose([x, predicted]);
  const given = labels
    .filter((r) => r.source === 'imported')
    .flatMap((r) =>
      Array.from({ length: labeledRepeat }, () => ({ file: r.file!, y: classOf.get(r.label!)! })),
    );
  const agreed = pseudo
    .map((r) => ({ file: r.file!, y: classOf.get(r.label!)! }))
    .filter((s, i) => classes[i] === s.y);
  return [...given, ...agreed];
}
