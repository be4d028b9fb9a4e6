/**
 * A multilayer perceptron classifier (d2l's MLP; scikit-learn's `MLPClassifier` defaults: one
 * hidden layer of 100 ReLU units, Adam lr 1e-3, batch 200, L2 alpha 1e-4), built with tfjs Layers
 * and trained by @dlpipe/tensor's `fit`. Each `fit` starts from a fresh, seeded initialization.
 *
 *   const mlp = new MlpClassifier({ hiddenUnits: [256], epochs: 10 });
 *   await mlp.fit(X, y);  const P = mlp.predictProba(Xtest);
 */
import { fit, l2Penalty, layersTask, tensorDataSource, tf } from '@dlpipe/tensor';
import { setSeed } from '@dlpipe/core';
import { LabelError } from '../errors.js';
import {
  type Classifier,
  checkXy,
  float32,
  labelIndex,
  type Matrix,
  singleClassProba,
  uniqueLabels,
} from './classifier.js';

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
    const hidden = this.options.hiddenUnits ?? [100];
    const layers = hidden.map((units, i) =>
      tf.layers.dense({ units, activation: 'relu', ...(i === 0 ? { inputShape: [d] } : {}) }),
    );
    const out = tf.layers.dense({ units: k, ...(hidden.length === 0 ? { inputShape: [d] } : {}) });
    return tf.sequential({ layers: [...layers, out] });
  }

  async fit(X: Matrix, y: ArrayLike<number>): Promise<this> {
    checkXy(X, y, 'MlpClassifier.fit');
    this.dispose();
    this.classes = uniqueLabels(y);
    if (this.classes.length < 2) return this;
    const [n, d] = X.shape;
    this.net = this.build(d, this.classes.length);
    const net = this.net;
    const x = tf.tensor2d(float32(X.data), [n, d], 'float32');
    const yi = tf.tensor1d(labelIndex(y, this.classes), 'int32');
    const alpha = this.options.alpha ?? 1e-4;
    const kernels = () => net.layers.map((l) => l.getWeights()[0]!);
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
    if (this.classes.length === 0) throw new LabelError('MlpClassifier is not fitted: call fit(X, y) first');
    const n = X.shape[0];
    if (this.classes.length === 1 || !this.net) return singleClassProba(n);
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
