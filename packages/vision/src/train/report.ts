/**
 * What a classifier run leaves in runs/<name>/: test metrics (accuracy, macro and per-class
 * P/R/F1, confusion matrix) as metrics.json, the learning curve, the confusion matrix and a grid
 * of misclassified test images as PNGs.
 *
 *   const r = await writeClassifierReport(net, test, { classNames, runDir: 'runs/lenet', history });
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plotConfusionMatrix, plotTrainingCurves, writeFigure } from '@dlpipe/plot';
import { confusionMatrix, type HistoryRecord, precisionRecallF1, tf } from '@dlpipe/tensor';
import { writeImageGrid } from '../image/grid.js';
import { checkInput } from '../models/registry.js';

/** Logits in batches (without holding every activation at once). */
export function predictLogits(net: tf.LayersModel, x: tf.Tensor, batch = 256): tf.Tensor2D {
  checkInput(net, x.shape);
  const parts: tf.Tensor[] = [];
  for (let i = 0; i < x.shape[0]!; i += batch) {
    parts.push(tf.tidy(() => net.predict(tf.slice(x, i, Math.min(batch, x.shape[0]! - i))) as tf.Tensor));
  }
  const out = tf.concat(parts) as tf.Tensor2D;
  tf.dispose(parts);
  return out;
}

/** The numeric fields of a history record (its `kind` left out), as the curve plots take them. */
function numericFields(r: HistoryRecord): Record<string, number> {
  return Object.fromEntries(Object.entries(r).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

/** "true →\npred (p)": the true class, then the predicted one with its softmax probability. */
export function misclassifiedCaption(classNames: string[], yTrue: number, yPred: number, p: number): string {
  const name = (k: number) => classNames[k] ?? String(k);
  return `${name(yTrue)} →\n${name(yPred)} (${p.toFixed(2)})`;
}

/** The chosen test images, min-max scaled to [0, 1], enlarged by a whole factor to ≥ 112 px (≤ 224), captioned. */
async function writeMisclassifiedGrid(
  x: tf.Tensor,
  idx: number[],
  captions: string[],
  path: string,
): Promise<string> {
  const imgs = tf.tidy(() => {
    const g = tf.gather(x, tf.tensor1d(idx, 'int32')) as tf.Tensor4D;
    const lo = g.min();
    return tf.div(tf.sub(g, lo), tf.maximum(tf.sub(g.max(), lo), 1e-6)) as tf.Tensor4D;
  });
  const side = imgs.shape[1];
  const tile = side * Math.max(1, Math.ceil(112 / side));
  try {
    return await writeImageGrid(imgs, path, { captions, tile: Math.min(tile, 224), columns: 8 });
  } finally {
    imgs.dispose();
  }
}

export interface ClassifierReportOptions {
  classNames: string[];
  runDir: string;
  history?: HistoryRecord[];
  title?: string;
  /** Misclassified images in the grid. Default 32. */
  maxMisclassified?: number;
  /** Extra fields for metrics.json (model, settings, backend, timings). */
  extra?: Record<string, unknown>;
}

export interface ClassifierReport {
  accuracy: number;
  macroF1: number;
  files: string[];
}

export async function writeClassifierReport(
  net: tf.LayersModel,
  test: { x: tf.Tensor; y: tf.Tensor1D },
  o: ClassifierReportOptions,
): Promise<ClassifierReport> {
  mkdirSync(o.runDir, { recursive: true });
  const logits = predictLogits(net, test.x);
  const [yPred, pPred] = tf.tidy(() => {
    const probs = tf.softmax(logits);
    return [tf.argMax(probs, -1).dataSync() as Int32Array, tf.max(probs, -1).dataSync() as Float32Array];
  });
  logits.dispose();
  const yTrue = test.y.dataSync() as Int32Array;
  const k = o.classNames.length;
  const cm = confusionMatrix(yTrue, yPred, { numClasses: k });
  const perClass = precisionRecallF1(yTrue, yPred, { average: 'none' });
  const macro = precisionRecallF1(yTrue, yPred, { average: 'macro' });
  const accuracy = yTrue.reduce((s, y, i) => s + (y === yPred[i] ? 1 : 0), 0) / Math.max(1, yTrue.length);
  const files: string[] = [];
  const steps = (o.history ?? []).filter((r) => r.kind === 'step').map(numericFields);
  if (steps.length > 1) {
    const curves = plotTrainingCurves(steps, {
      x: 'step',
      title: `${o.title ?? net.name}: training`,
    });
    files.push(...writeFigure(curves, join(o.runDir, 'curves.png')));
  }
  const title = `${o.title ?? net.name}: test accuracy ${accuracy.toFixed(3)}`;
  files.push(
    ...writeFigure(
      plotConfusionMatrix(cm, { labels: o.classNames, title }),
      join(o.runDir, 'confusion-matrix.png'),
    ),
  );
  const wrong = Array.from(yTrue.keys())
    .filter((i) => yTrue[i] !== yPred[i])
    .slice(0, o.maxMisclassified ?? 32);
  if (wrong.length > 0) {
    const captions = wrong.map((i) => misclassifiedCaption(o.classNames, yTrue[i]!, yPred[i]!, pPred[i]!));
    files.push(await writeMisclassifiedGrid(test.x, wrong, captions, join(o.runDir, 'misclassified.png')));
  }
  const metrics = {
    ...o.extra,
    test: {
      examples: yTrue.length,
      accuracy,
      macro: { precision: macro.precision, recall: macro.recall, f1: macro.f1 },
      perClass: o.classNames.map((name, i) => ({
        name,
        precision: perClass.precision[i],
        recall: perClass.recall[i],
        f1: perClass.f1[i],
        support: perClass.support[i],
      })),
      confusionMatrix: cm,
    },
    history: (o.history ?? []).filter((r) => r.kind === 'epoch'),
  };
  writeFileSync(join(o.runDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  files.push(join(o.runDir, 'metrics.json'));
  return { accuracy, macroF1: macro.f1, files };
}
