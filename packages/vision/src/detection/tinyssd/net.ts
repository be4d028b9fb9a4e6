/**
 * d2l §14.7's TinySSD network, layer for layer: `base_net` (3 → 16 → 32 → 64 with three
 * `down_sample_blk`s), three more down-sampling blocks (64 → 128 → 128 → 128), a global max pool,
 * and at each of these five scales a 3×3 class predictor (A·(C+1) channels) and a 3×3 box
 * predictor (A·4 channels), A = 4 anchors per pixel. Channels-last (NHWC); PyTorch's conventions:
 * batch norm momentum 0.1 / eps 1e-5, and `nn.Conv2d`'s default init (kernels and biases
 * U(±1/√fanIn), what d2l's TinySSD keeps since it never calls `init_cnn`).
 *
 *   const net = tinySsdNet({ numClasses: 1, imageSize: 256 });
 *   const outs = net.apply(x, { training: true }) as tf.Tensor[]; // 5 class maps, then 5 box maps
 *   // [B,32,32,8] [B,16,16,8] [B,8,8,8] [B,4,4,8] [B,1,1,8], [B,32,32,16] … [B,1,1,16]
 *
 * Layers have fixed names (`blk0_conv0`, `cls2`, …), so `tinySsdWeightName` gives the same weight
 * names in every build (what save/load matches on).
 */
import { batchNormalization, tf } from '@dlpipe/tensor';
import { multiboxPrior } from '../boxes/anchors.js';
import { DetectionError } from '../boxes/errors.js';

type Sym = tf.SymbolicTensor;

/** d2l's anchor sizes per scale (`sizes`): five scales from 0.2 to 0.961. */
export const TINY_SSD_SIZES: readonly (readonly [number, number])[] = [
  [0.2, 0.272],
  [0.37, 0.447],
  [0.54, 0.619],
  [0.71, 0.79],
  [0.88, 0.961],
];
/** d2l's anchor ratios, the same at every scale. */
export const TINY_SSD_RATIOS: readonly number[] = [1, 2, 0.5];
/** Anchors per pixel: sizes + ratios − 1 = 4. */
export const TINY_SSD_ANCHORS_PER_PIXEL = 4;
/** Input sides must be multiples of this (the base net halves three times, then three more blocks). */
export const TINY_SSD_STRIDE = 64;

export interface TinySsdNetOptions {
  /** Object classes without background (d2l's bananas: 1). */
  numClasses: number;
  /** Square input side; a multiple of 64, at least 64. d2l: 256. */
  imageSize: number;
}

/** Throws a DetectionError unless the options describe a TinySSD that can be built. */
export function checkTinySsdOptions(o: TinySsdNetOptions): void {
  if (!(Number.isInteger(o.numClasses) && o.numClasses >= 1)) {
    throw new DetectionError(`TinySSD numClasses: expected a positive integer, received ${o.numClasses}`);
  }
  const s = o.imageSize;
  if (!(Number.isInteger(s) && s >= TINY_SSD_STRIDE && s % TINY_SSD_STRIDE === 0)) {
    throw new DetectionError(
      `TinySSD imageSize: expected a multiple of ${TINY_SSD_STRIDE} that is at least ${TINY_SSD_STRIDE} ` +
        `(d2l uses 256), received ${s}; resize the images to such a size`,
    );
  }
}

/** Feature-map sides of the five scales for an input side: S/8, S/16, S/32, S/64, 1. */
export function tinySsdFeatureSizes(imageSize: number): number[] {
  return [imageSize / 8, imageSize / 16, imageSize / 32, imageSize / 64, 1];
}

/** PyTorch's `nn.Conv2d` default init: U(−1/√fanIn, 1/√fanIn) for kernel and bias. */
function torchUniform(fanIn: number) {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound });
}

/** A 3×3 convolution with padding 1 (stride 1: 'same'), named. */
function conv3(x: Sym, filters: number, name: string): Sym {
  const fanIn = (x.shape[3] ?? 1) * 9;
  return tf.layers
    .conv2d({
      name,
      filters,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: torchUniform(fanIn),
      biasInitializer: torchUniform(fanIn),
    })
    .apply(x) as Sym;
}

/** d2l's `down_sample_blk`: 2 × (conv 3×3 pad 1, BN, ReLU), then max pool 2. */
function downSampleBlk(x: Sym, channels: number, name: string): Sym {
  let y = x;
  for (let i = 0; i < 2; i++) {
    y = conv3(y, channels, `${name}_conv${i}`);
    y = batchNormalization({ name: `${name}_bn${i}`, momentum: 0.9, epsilon: 1e-5 }).apply(y) as Sym;
    y = tf.layers.reLU({ name: `${name}_relu${i}` }).apply(y) as Sym;
  }
  return tf.layers.maxPooling2d({ name: `${name}_pool`, poolSize: 2, strides: 2 }).apply(y) as Sym;
}

/** The five feature maps: base_net, three down-sampling blocks, global max pool. */
function blocks(input: Sym, imageSize: number): Sym[] {
  let x = input;
  [16, 32, 64].forEach((c, i) => {
    x = downSampleBlk(x, c, `blk0_down${i}`);
  });
  const feats = [x];
  for (let i = 1; i <= 3; i++) {
    x = downSampleBlk(x, 128, `blk${i}`);
    feats.push(x);
  }
  // nn.AdaptiveMaxPool2d((1, 1)) on the S/64 × S/64 map.
  const k = imageSize / TINY_SSD_STRIDE;
  feats.push(tf.layers.maxPooling2d({ name: 'blk4_pool', poolSize: k, strides: k }).apply(x) as Sym);
  return feats;
}

/** The TinySSD network: outputs the five class maps, then the five box maps (NHWC). */
export function tinySsdNet(o: TinySsdNetOptions): tf.LayersModel {
  checkTinySsdOptions(o);
  const a = TINY_SSD_ANCHORS_PER_PIXEL;
  const input = tf.input({ shape: [o.imageSize, o.imageSize, 3], name: 'image' });
  const feats = blocks(input, o.imageSize);
  const cls = feats.map((f, i) => conv3(f, a * (o.numClasses + 1), `cls${i}`));
  const bbox = feats.map((f, i) => conv3(f, a * 4, `bbox${i}`));
  return tf.model({ inputs: input, outputs: [...cls, ...bbox], name: 'tinyssd' });
}

/** A weight's stable name, `layer/weight` (e.g. `blk1_bn0/moving_mean`), whatever tfjs made unique. */
export function tinySsdWeightName(w: tf.LayerVariable): string {
  return w.originalName;
}

/**
 * d2l's anchors of every scale, concatenated as TinySSD's predictions are: [1, A, 4] with
 * A = 4 · Σ side² (5,444 for a 256 input).
 */
export function tinySsdAnchors(imageSize: number): tf.Tensor3D {
  return tf.tidy(() =>
    tf.concat(
      tinySsdFeatureSizes(imageSize).map((s, i) =>
        multiboxPrior(s, s, TINY_SSD_SIZES[i] ?? [], TINY_SSD_RATIOS),
      ),
      1,
    ),
  ) as tf.Tensor3D;
}
