/**
 * LeNet and ResNet-18 written the way a user writes a model with the tf API alone — variables,
 * `tf.conv2d` + `tf.add` for the bias, `tf.moments` + `tf.batchNorm` for batch norm (with its
 * running averages), `tf.relu`, `tf.add` for the shortcut, `tf.matMul`, `tf.variableGrads` and
 * tfjs's `tf.train.sgd` — with no dlpipe layer. Same nets, shapes, batch and SGD step as the
 * Layers versions (lenet.ts, resnet18.ts) and PyTorch's (engine_torch.py), so their times compare.
 *
 *   const net = resnet18Ops.create({ batch: 64 }); net.trainStep(); net.dispose();
 */
import { tf } from '@dlpipe/tensor';
import { type BenchModel, type BenchModelSpec, countParams } from './bench-model.js';
import { LENET_TORCH_PARAMS } from './lenet.js';
import { RESNET18_TORCH_PARAMS } from './resnet18.js';

/** The variables of a plain-op model, created with PyTorch's default ranges (U(±1/√fanIn)). */
class Weights {
  readonly trainable: tf.Variable[] = [];
  readonly buffers: tf.Variable[] = [];
  private make(shape: number[], fanIn: number): tf.Variable {
    const b = 1 / Math.sqrt(fanIn);
    const v = tf.tidy(() => tf.variable(tf.randomUniform(shape, -b, b)));
    this.trainable.push(v);
    return v;
  }
  conv(k: number, cin: number, cout: number): { w: tf.Variable; b: tf.Variable } {
    return { w: this.make([k, k, cin, cout], k * k * cin), b: this.make([cout], k * k * cin) };
  }
  dense(cin: number, cout: number): { w: tf.Variable; b: tf.Variable } {
    return { w: this.make([cin, cout], cin), b: this.make([cout], cin) };
  }
  bn(c: number): BnWeights {
    const v = (t: () => tf.Tensor, trainable: boolean) => {
      const x = tf.tidy(() => tf.variable(t(), trainable));
      (trainable ? this.trainable : this.buffers).push(x);
      return x;
    };
    return {
      gamma: v(() => tf.ones([c]), true),
      beta: v(() => tf.zeros([c]), true),
      mean: v(() => tf.zeros([c]), false),
      variance: v(() => tf.ones([c]), false),
    };
  }
  dispose(): void {
    tf.dispose([...this.trainable, ...this.buffers]);
  }
}

interface BnWeights {
  gamma: tf.Variable;
  beta: tf.Variable;
  mean: tf.Variable;
  variance: tf.Variable;
}

type Conv = { w: tf.Variable; b: tf.Variable };

/** conv + bias with PyTorch's symmetric zero padding. */
function conv(x: tf.Tensor4D, c: Conv, stride: number, pad: number): tf.Tensor4D {
  const y = tf.conv2d(x, c.w as tf.Tensor4D, stride, [
    [0, 0],
    [pad, pad],
    [pad, pad],
    [0, 0],
  ]);
  return tf.add(y, c.b);
}

/** Batch norm on batch statistics, updating the running averages as PyTorch (momentum 0.1, unbiased variance). */
function batchNorm(x: tf.Tensor4D, p: BnWeights): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const n = x.size / (x.shape[3] ?? 1);
  tf.tidy(() => {
    p.mean.assign(tf.add(tf.mul(p.mean, 0.9), tf.mul(mean, 0.1)));
    p.variance.assign(tf.add(tf.mul(p.variance, 0.9), tf.mul(variance, (0.1 * n) / (n - 1))));
  });
  return tf.batchNorm(x, mean, variance, p.beta, p.gamma, 1e-5) as tf.Tensor4D;
}

/** A random batch, softmax cross-entropy and tfjs's SGD around `logits(X)`. */
function plainClassifier(
  weights: Weights,
  inputShape: number[],
  batch: number,
  lr: number,
  logits: (x: tf.Tensor4D) => tf.Tensor2D,
): BenchModel {
  const X = tf.randomNormal<tf.Rank>([batch, ...inputShape]) as tf.Tensor4D;
  const y = tf.tidy(() => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10));
  const optimizer = tf.train.sgd(lr);
  return {
    paramCount: () => countParams(weights.trainable.map((v) => v.shape)),
    trainStep() {
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(y, logits(X)) as tf.Scalar,
        weights.trainable,
      );
      optimizer.applyGradients(grads);
      const loss = value.dataSync()[0]!;
      tf.dispose([value, grads]);
      return loss;
    },
    forward() {
      const out = tf.tidy(() => logits(X));
      out.dataSync();
      out.dispose();
    },
    dispose() {
      tf.dispose([X, y]);
      optimizer.dispose();
      weights.dispose();
    },
  };
}

/** d2l's LeNet (sigmoid, average pooling) in plain ops. */
function lenetOpsModel(batch: number, lr: number): BenchModel {
  const w = new Weights();
  const c1 = w.conv(5, 1, 6);
  const c2 = w.conv(5, 6, 16);
  const d1 = w.dense(400, 120);
  const d2 = w.dense(120, 84);
  const d3 = w.dense(84, 10);
  const dense = (x: tf.Tensor2D, d: Conv) => tf.add(tf.matMul(x, d.w as tf.Tensor2D), d.b) as tf.Tensor2D;
  return plainClassifier(w, [28, 28, 1], batch, lr, (x) => {
    let h = tf.avgPool(tf.sigmoid(conv(x, c1, 1, 2)), 2, 2, 'valid');
    h = tf.avgPool(tf.sigmoid(conv(h, c2, 1, 0)), 2, 2, 'valid');
    const f = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
    return dense(tf.sigmoid(dense(tf.sigmoid(dense(f, d1)), d2)), d3);
  });
}

interface Residual {
  conv1: Conv;
  bn1: BnWeights;
  conv2: Conv;
  bn2: BnWeights;
  conv3?: Conv;
  stride: number;
}

/** d2l's ResNet-18 (1-channel input) in plain ops. */
function resnet18OpsModel(batch: number, size: number, lr: number): BenchModel {
  const w = new Weights();
  const stem = w.conv(7, 1, 64);
  const stemBn = w.bn(64);
  const blocks: Residual[] = [];
  let cin = 64;
  for (const [i, c] of [64, 128, 256, 512].entries()) {
    for (let r = 0; r < 2; r++) {
      const down = r === 0 && i > 0;
      blocks.push({
        conv1: w.conv(3, cin, c),
        bn1: w.bn(c),
        conv2: w.conv(3, c, c),
        bn2: w.bn(c),
        ...(down ? { conv3: w.conv(1, cin, c) } : {}),
        stride: down ? 2 : 1,
      });
      cin = c;
    }
  }
  const fc = w.dense(512, 10);
  return plainClassifier(w, [size, size, 1], batch, lr, (x) => {
    let h = tf.relu(batchNorm(conv(x, stem, 2, 3), stemBn));
    h = tf.maxPool(h, 3, 2, 'same');
    for (const b of blocks) {
      const y = batchNorm(
        conv(tf.relu(batchNorm(conv(h, b.conv1, b.stride, 1), b.bn1)), b.conv2, 1, 1),
        b.bn2,
      );
      h = tf.relu(tf.add(y, b.conv3 ? conv(h, b.conv3, b.stride, 0) : h)) as tf.Tensor4D;
    }
    const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, fc.w as tf.Tensor2D), fc.b) as tf.Tensor2D;
  });
}

export const lenetOps: BenchModelSpec = {
  name: 'lenet-ops',
  trainBatch: () => 256,
  forwardBatch: 256,
  warmup: 10,
  iters: 15,
  torchKeys: { train: 'lenet', forward: 'lenetfwd' },
  torchGroup: 'lenet',
  torchParams: LENET_TORCH_PARAMS,
  create: ({ batch, lr = 0.9 }) => lenetOpsModel(batch, lr),
};

export const resnet18Ops: BenchModelSpec = {
  name: 'resnet18-ops',
  trainBatch: (quick) => (quick ? 32 : 64),
  forwardBatch: 64,
  warmup: 1,
  torchKeys: { train: 'resnet18', forward: 'resnetfwd' },
  torchGroup: 'resnet',
  torchParams: RESNET18_TORCH_PARAMS,
  create: ({ batch, size = 96, lr = 0.05 }) => resnet18OpsModel(batch, size, lr),
};
