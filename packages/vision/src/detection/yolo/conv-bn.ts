/**
 * The two weighted pieces the YOLO network is made of, as plain variables (NHWC, tfjs kernel
 * layout [kh, kw, in, out]): `ConvBnAct` is Ultralytics' `Conv` (conv without bias → batch norm →
 * activation, "same" padding) and `Conv2dBias` a plain convolution with bias for the prediction
 * layers. Weights start as PyTorch's defaults (kernels and biases U(±1/√fanIn)), drawn from the
 * global generator, so `setSeed` fixes them. Batch norm runs on batch statistics while training
 * (fused where the backend has it) and updates its running mean and unbiased variance with
 * PyTorch's momentum convention; inference uses the running statistics.
 *
 *   const c = new ConvBnAct('stem', { cin: 3, cout: 16, k: 3, stride: 2 });
 *   const y = c.apply(x, true);   // [B, H/2, W/2, 16]
 */
import { batchNormTrain, tf } from '@dlpipe/tensor';

/** Shape of one convolution. */
export interface ConvSpec {
  cin: number;
  cout: number;
  /** Square kernel side. */
  k: number;
  /** Default 1. */
  stride?: number;
  /** Batch-norm momentum (PyTorch convention: weight of the new batch). Default `BN_MOMENTUM`. */
  momentum?: number;
}

/**
 * Batch-norm settings shared by every `ConvBnAct`: eps 1e-3 as Ultralytics, momentum 0.1 as
 * PyTorch's default. Ultralytics' 0.03 is tuned for hundreds of epochs: with a few thousand
 * steps its running statistics lag the weights and early validation scores nothing.
 */
export const BN_MOMENTUM = 0.1;
export const BN_EPS = 1e-3;

const uniform = (shape: number[], fanIn: number) =>
  tf.randomUniform(shape, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));

/** A variable holding `init()`'s tensor (the temporary disposed; unnamed, so models can coexist). */
const variable = (init: () => tf.Tensor, trainable = true) => tf.tidy(() => tf.variable(init(), trainable));

/** conv → BN → ReLU with "same" padding. */
export class ConvBnAct {
  readonly kernel: tf.Variable;
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVar: tf.Variable;
  private readonly stride: number;
  private readonly momentum: number;

  constructor(
    readonly name: string,
    spec: ConvSpec,
  ) {
    const { cin, cout, k } = spec;
    this.stride = spec.stride ?? 1;
    this.momentum = spec.momentum ?? BN_MOMENTUM;
    this.kernel = variable(() => uniform([k, k, cin, cout], k * k * cin));
    this.gamma = variable(() => tf.ones([cout]));
    this.beta = variable(() => tf.zeros([cout]));
    this.movingMean = variable(() => tf.zeros([cout]), false);
    this.movingVar = variable(() => tf.ones([cout]), false);
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const z = tf.conv2d(x, this.kernel as tf.Tensor4D, this.stride, 'same');
    if (!training) {
      return tf.relu(
        tf.batchNorm(z, this.movingMean, this.movingVar, this.beta, this.gamma, BN_EPS),
      ) as tf.Tensor4D;
    }
    const { y, mean, variance } = batchNormTrain(
      z,
      this.gamma as tf.Tensor1D,
      this.beta as tf.Tensor1D,
      BN_EPS,
    );
    const n = z.size / (z.shape[3] ?? 1);
    tf.tidy(() => {
      const m = this.momentum;
      this.movingMean.assign(tf.add(tf.mul(this.movingMean, 1 - m), tf.mul(mean, m)));
      const unbiased = tf.mul(variance, n / Math.max(1, n - 1));
      this.movingVar.assign(tf.add(tf.mul(this.movingVar, 1 - m), tf.mul(unbiased, m)));
    });
    return tf.relu(y) as tf.Tensor4D;
  }

  /** Weights by `name/part`, trainable first. */
  variables(): tf.Variable[] {
    return [this.kernel, this.gamma, this.beta, this.movingMean, this.movingVar];
  }

  trainable(): tf.Variable[] {
    return [this.kernel, this.gamma, this.beta];
  }
}

/** A convolution with bias and no activation (the prediction layers). */
export class Conv2dBias {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  /** `biasInit`: a constant for every bias instead of PyTorch's uniform draw. */
  constructor(
    readonly name: string,
    spec: ConvSpec,
    biasInit?: number,
  ) {
    const { cin, cout, k } = spec;
    const fanIn = k * k * cin;
    this.kernel = variable(() => uniform([k, k, cin, cout], fanIn));
    this.bias = variable(() => (biasInit === undefined ? uniform([cout], fanIn) : tf.fill([cout], biasInit)));
  }

  apply(x: tf.Tensor4D): tf.Tensor4D {
    return tf.add(tf.conv2d(x, this.kernel as tf.Tensor4D, 1, 'same'), this.bias);
  }

  variables(): tf.Variable[] {
    return [this.kernel, this.bias];
  }
}
