/**
 * A tfjs Layers classifier as a `BenchModel`: a fixed random batch, softmax cross-entropy and
 * plain SGD, as d2l's `train_ch6` and torch_reference.py's `classifier_step`.
 *
 *   const net = layersClassifier(lenetNet(), { batch: 256, inputShape: [28, 28, 1], lr: 0.9 });
 */
import { createOptimizer, tf } from '@dlpipe/tensor';
import { type BenchModel, countParams } from './bench-model.js';

/** Options of `layersClassifier`. */
export interface ClassifierOptions {
  /** Examples per batch. */
  batch: number;
  /** One example's shape, NHWC without the batch (e.g. `[28, 28, 1]`). */
  inputShape: number[];
  /** Number of classes (default 10). */
  numClasses?: number;
  /** SGD learning rate. */
  lr: number;
}

/** Wraps `net` with a random batch and an SGD step. */
export function layersClassifier(net: tf.LayersModel, options: ClassifierOptions): BenchModel {
  const numClasses = options.numClasses ?? 10;
  const X = tf.randomNormal([options.batch, ...options.inputShape]);
  const y = tf.tidy(() =>
    tf.oneHot(tf.randomUniform([options.batch], 0, numClasses, 'int32') as tf.Tensor1D, numClasses),
  );
  const optimizer = createOptimizer({ name: 'sgd', lr: options.lr }); // dlpipe's SGD: one fused kernel per variable
  // LayerVariable.read() is typed Tensor but returns the tf.Variable that holds the weight
  const params = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const logits = () => net.apply(X, { training: true }) as tf.Tensor;

  return {
    paramCount: () => countParams(params.map((v) => v.shape)),
    trainStep() {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, logits()), params);
      optimizer.applyGradients(grads);
      const loss = value.dataSync()[0]!;
      tf.dispose([value, grads]);
      return loss;
    },
    forward() {
      const yHat = tf.tidy(logits);
      yHat.dataSync();
      yHat.dispose();
    },
    infer() {
      const yHat = tf.tidy(() => net.apply(X, { training: false }) as tf.Tensor);
      yHat.dataSync();
      yHat.dispose();
    },
    dispose() {
      tf.dispose([X, y]);
      optimizer.dispose();
      net.dispose();
    },
  };
}
