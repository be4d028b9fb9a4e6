/**
 * A multilayer perceptron classifier (d2l's MLP; scikit-learn's `MLPClassifier` defaults: one
 * hidden layer of 100 ReLU units, Adam lr 1e-3, batch 200, L2 alpha 1e-4), built with tfjs Layers
 * and trained by @dlpipe/tensor's `fit`. Each `fit` starts from a fresh, seeded initialization.
 * `mlpNet` is the network alone (also for images: it flattens them first), for other loops.
 *
 *   const mlp = new MlpClassifier({ hiddenUnits: [256], epochs: 10 });
 *   await mlp.fit(X, y);  const P = mlp.predictProba(Xtest);
 *   const net = mlpNet({ inputShape: [28, 28, 1], hiddenUnits: [256], numClasses: 10 });
 */
import { setSeed } from '@dlpipe/core';
import { fit, l2Penalty, layersTask, tensorDataSource, tf } from '@dlpipe/tensor';
import { LabelError } from '../errors.js';
import { type Classifier, float32, type Matrix } from './classifier.js';
import { fitClasses, trivialProba, xyTensors } from './tensor-fit.js';

/** Options of `mlpNet`. */
export interface MlpNetOptions {
  /** The shape of one example: [features], or [h, w, c] for images (flattened first). */
  inputShape: number[];
  /** Units per hidden ReLU layer. Default [100] (scikit-learn's). */
  hiddenUnits?: number[];
  /** Logits out. */
  numClasses: number;
  /** The model's name. Default 'mlp'. */
  name?: string;
}

/** d2l §5.2's MLP: (flatten →) dense ReLU layers → `numClasses` logits. */
export function mlpNet(o: MlpNetOptions): tf.Sequential {
  const net = tf.sequential({ name: o.name ?? 'mlp' });
  const input = { inputShape: o.inputShape };
  if (o.inputShape.length > 1) net.add(tf.layers.flatten(input));
  for (const units of o.hiddenUnits ?? [100]) {
    net.add(tf.layers.dense({ units, activation: 'relu', ...(net.layers.length ? {} : input) }));
  }
  net.add(tf.layers.dense({ units: o.numClasses, ...(net.layers.length ? {} : input) }));
  return net;
}

export interface MlpClassifierOptions {
  /** Units per hidden layer. Default [100]. */
  hiddenUnits?: number[];
  /** Default 20. */
  epochs?: number;
  /** Adam learning rate. Default 1e-3. */
  lr?: number;
  /** Default 200. */
  batchSize?: number;
  /** L2 penalty on the kernels (scikit-learn's alpha: alpha/(2·batch)·Σw²). Default 1e-4. */
  alpha?: number;
  /** Seeds initialization and data order. Default 0. */
  seed?: number;
  /** Show a progress bar per fit. Default false. */
  progress?: boolean;
}

export class MlpClassifier implements Classifier<Matrix> {
  classes: number[] = [];
  private net: tf.Sequential | undefined;

  constructor(readonly options: MlpClassifierOptions = {}) {}

  clone(): MlpClassifier {
    return new MlpClassifier(this.options);
  }

  private build(d: number, k: number): tf.Sequential {
    setSeed(this.options.seed ?? 0);
    return mlpNet({ inputShape: [d], hiddenUnits: this.options.hiddenUnits ?? [100], numClasses: k });
  }

  async fit(X: Matrix, y: ArrayLike<number>): Promise<this> {
    this.classes = fitClasses('MlpClassifier.fit', X, y);
    this.dispose();
    if (this.classes.length < 2) return this;
    const [n, d] = X.shape;
    this.net = this.build(d, this.classes.length);
    const net = this.net;
    const { x, yi } = xyTensors(X, y, this.classes);
    const alpha = this.options.alpha ?? 1e-4;
    const kernels = () => net.layers.flatMap((l) => l.getWeights().slice(0, 1)); // not the biases
    const bs = Math.min(n, this.options.batchSize ?? 200);
    try {
      await fit(
        layersTask(net, { loss: 'softmaxCrossEntropy', regularizer: () => l2Penalty(kernels(), alpha / bs) }),
        tensorDataSource({ x, y: yi }, { batchSize: bs, shuffle: true }),
        {
          epochs: this.options.epochs ?? 20,
          optimizer: { name: 'adam', lr: this.options.lr ?? 1e-3 },
          progress: this.options.progress ?? false,
          seed: this.options.seed ?? 0,
          logEvery: 0,
        },
      );
    } finally {
      tf.dispose([x, yi]);
    }
    return this;
  }

  predictProba(X: Matrix): Matrix {
    const n = X.shape[0];
    const trivial = trivialProba('MlpClassifier', this.classes, n);
    if (trivial) return trivial;
    if (!this.net) throw new LabelError('MlpClassifier was disposed: call fit(X, y) again first');
    const [d, k] = [X.shape[1], this.classes.length];
    const data = new Float64Array(n * k);
    for (let at = 0; at < n; at += 4096) {
      const m = Math.min(4096, n - at);
      const x = float32(X.data.subarray(at * d, (at + m) * d));
      const p = tf.tidy(() => tf.softmax(this.net!.predict(tf.tensor2d(x, [m, d], 'float32')) as tf.Tensor));
      data.set(p.dataSync(), at * k);
      p.dispose();
    }
    return { data, shape: [n, k] };
  }

  dispose(): void {
    this.net?.dispose();
    this.net = undefined;
  }
}
