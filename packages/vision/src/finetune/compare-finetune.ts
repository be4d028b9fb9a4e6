/**
 * d2l §14.2's experiment: the same network fine-tuned from pretrained weights and trained from
 * scratch on the same small dataset, same head, same epochs, same data order. The backbone is
 * nsfwjs's MobileNetV2 at the images' size. (a) fine-tuned: new head with the backbone frozen for
 * `headEpochs`, then everything for `fullEpochs` with the backbone at lr·backboneScale; (b) from
 * scratch: the architecture freshly initialized, everything at lr for headEpochs + fullEpochs
 * (as d2l trains its scratch net at the output layer's rate, 10× the fine-tuned backbone's).
 *
 *   const r = await compareFinetune({ train, test, numClasses: 10, headEpochs: 2, fullEpochs: 3, runDir: 'runs/ft' });
 *   r.finetuned.accuracy; r.scratch.accuracy; // plus histories, seconds, comparison.png
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionsError, setSeed } from '@dlpipe/core';
import { writeFigure } from '@dlpipe/plot';
import { fit, type HistoryRecord, layersTask, tensorDataSource, type tf } from '@dlpipe/tensor';
import { ImageShapeError } from '../errors.js';
import { comparisonChart } from './comparison-plot.js';
import { finetune } from './finetune.js';
import { checkInputSize } from './mobilenet-topology.js';
import { loadNsfwjsMobileNetV2, replaceHead } from './pretrained.js';

export type ComparePhase = 'head' | 'full' | 'scratch';

export interface CompareFinetuneOptions {
  /** Training images NHWC, RGB in [0, 1], square with a side that is a multiple of 32; int labels. */
  train: { x: tf.Tensor4D; y: tf.Tensor1D };
  /** Test images like `train`; evaluated after every epoch of both runs. */
  test: { x: tf.Tensor4D; y: tf.Tensor1D };
  numClasses: number;
  /** Fine-tuned run: epochs with the backbone frozen. Default 2. */
  headEpochs?: number;
  /** Fine-tuned run: epochs with everything trainable. Default 3. */
  fullEpochs?: number;
  /** SGD rate of the head (fine-tuned) and of every weight (scratch). Default 0.05. */
  lr?: number;
  /** The fine-tuned backbone's rate is lr·backboneScale. Default 0.1 (d2l). */
  backboneScale?: number;
  /** Default 32. */
  batchSize?: number;
  /** Batch-norm momentum of both nets (tfjs sense). Default 0.9, PyTorch's 0.1: the file's 0.999 barely moves the moving statistics in a few hundred steps. */
  batchNormMomentum?: number;
  /** Seeds initialization and data order of both runs. Default 42. */
  seed?: number;
  /** Where histories, comparison.json and comparison.png go. Default: nothing written. */
  runDir?: string;
  /** Progress bars on stderr. Default true. */
  progress?: boolean;
  /** Called with the net before and after each phase (tests snapshot weights here). */
  onPhase?: (event: { phase: ComparePhase; stage: 'start' | 'end'; net: tf.LayersModel }) => void;
}

export interface CompareArm {
  /** Test accuracy after the last epoch. */
  accuracy: number;
  /** Epoch records (loss, accuracy, val_loss, val_accuracy, seconds), numbered 1… across phases. */
  epochs: HistoryRecord[];
  seconds: number;
  /** The trained net; the caller disposes it. */
  net: tf.LayersModel;
}

export interface CompareSettings {
  inputSize: number;
  trainImages: number;
  testImages: number;
  headEpochs: number;
  fullEpochs: number;
  lr: number;
  backboneScale: number;
  batchSize: number;
  batchNormMomentum: number;
  seed: number;
}

export interface CompareFinetuneResult {
  finetuned: CompareArm;
  scratch: CompareArm;
  /** Settings as run (defaults filled in). */
  settings: CompareSettings;
  files: string[];
}

function inputSizeOf(x: tf.Tensor4D): number {
  const [, h, w, c] = x.shape;
  if (h !== w || c !== 3) {
    throw new ImageShapeError(
      `compareFinetune needs square RGB images [n, s, s, 3] but got [${x.shape}]; resize and replicate gray to 3 channels (loadMnistSubset({ size: 96, channels: 3 }))`,
    );
  }
  checkInputSize(h);
  return h;
}

/** Renumbers the epochs of consecutive phases 1, 2, … and tags each record with its phase. */
function joinEpochs(phases: Array<[string, HistoryRecord[]]>): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  for (const [phase, records] of phases) {
    for (const r of records) if (r.kind === 'epoch') out.push({ ...r, epoch: out.length + 1, phase });
  }
  return out;
}

function lastAccuracy(epochs: HistoryRecord[]): number {
  const v = epochs.at(-1)?.val_accuracy;
  return typeof v === 'number' ? v : Number.NaN;
}

/** Trains both nets and reports both test accuracies, their learning curves and wall times. */
export async function compareFinetune(o: CompareFinetuneOptions): Promise<CompareFinetuneResult> {
  const inputSize = inputSizeOf(o.train.x);
  const s: CompareSettings = {
    inputSize,
    trainImages: o.train.x.shape[0],
    testImages: o.test.x.shape[0],
    headEpochs: o.headEpochs ?? 2,
    fullEpochs: o.fullEpochs ?? 3,
    lr: o.lr ?? 0.05,
    backboneScale: o.backboneScale ?? 0.1,
    batchSize: o.batchSize ?? 32,
    batchNormMomentum: o.batchNormMomentum ?? 0.9,
    seed: o.seed ?? 42,
  };
  if (s.headEpochs + s.fullEpochs < 1) {
    throw new OptionsError(
      `compareFinetune: headEpochs ${s.headEpochs} + fullEpochs ${s.fullEpochs} must be at least 1 epoch`,
    );
  }
  const train = () => tensorDataSource(o.train, { batchSize: s.batchSize, shuffle: true });
  const sub = (name: string) => (o.runDir ? { runDir: join(o.runDir, name) } : {});
  const progress = o.progress ?? true;

  setSeed(s.seed);
  const base = await loadNsfwjsMobileNetV2({ inputSize, batchNormMomentum: s.batchNormMomentum });
  const ftNet = replaceHead(base, { numClasses: o.numClasses });
  const t0 = performance.now();
  const ft = await finetune(ftNet, train(), o.test, {
    headEpochs: s.headEpochs,
    fullEpochs: s.fullEpochs,
    lr: s.lr,
    backboneScale: s.backboneScale,
    seed: s.seed,
    progress,
    ...sub('finetuned'),
    ...(o.onPhase ? { onPhase: o.onPhase } : {}),
  });
  const ftSeconds = (performance.now() - t0) / 1000;
  const ftEpochs = joinEpochs([
    ['head', ft.head],
    ['full', ft.full],
  ]);

  setSeed(s.seed);
  const fresh = await loadNsfwjsMobileNetV2({
    inputSize,
    batchNormMomentum: s.batchNormMomentum,
    pretrained: false,
  });
  const scNet = replaceHead(fresh, { numClasses: o.numClasses, freeze: false });
  o.onPhase?.({ phase: 'scratch', stage: 'start', net: scNet });
  const sc = await fit(layersTask(scNet), train(), {
    epochs: s.headEpochs + s.fullEpochs,
    optimizer: { name: 'sgd', lr: s.lr },
    metrics: ['accuracy'],
    validation: tensorDataSource(o.test, { batchSize: 64 }),
    seed: s.seed,
    progress,
    ...sub('scratch'),
  });
  o.onPhase?.({ phase: 'scratch', stage: 'end', net: scNet });
  const scEpochs = joinEpochs([['scratch', sc.history]]);

  const result: CompareFinetuneResult = {
    finetuned: { accuracy: lastAccuracy(ftEpochs), epochs: ftEpochs, seconds: ftSeconds, net: ftNet },
    scratch: { accuracy: lastAccuracy(scEpochs), epochs: scEpochs, seconds: sc.seconds, net: scNet },
    settings: s,
    files: [],
  };
  if (o.runDir) result.files = writeComparison(result, o.runDir);
  return result;
}

/** comparison.json (settings, accuracies, seconds, epoch records) and comparison.png. */
export function writeComparison(r: CompareFinetuneResult, runDir: string): string[] {
  mkdirSync(runDir, { recursive: true });
  const arm = (a: CompareArm) => ({ accuracy: a.accuracy, seconds: a.seconds, epochs: a.epochs });
  const json = join(runDir, 'comparison.json');
  const body = { settings: r.settings, finetuned: arm(r.finetuned), scratch: arm(r.scratch) };
  writeFileSync(json, `${JSON.stringify(body, null, 2)}\n`);
  return [json, ...writeFigure(comparisonChart(r), join(runDir, 'comparison.png'))];
}
