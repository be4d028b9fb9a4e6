/**
 * d2l's modern CNNs: GoogLeNet (§8.4, Inception blocks), ResNet-18/34 (§8.6, basic residual
 * blocks with d2l's 1×1-conv shortcut), ResNet-50 (torchvision's bottleneck layout; d2l has
 * none) and DenseNet (§8.7, growth 32, blocks (4,4,4,4)).
 *
 *   const net = resnet(opts, [2, 2, 2, 2]);  // d2l's ResNet-18
 */
import { tf } from '@dlpipe/tensor';
import {
  act,
  add,
  avgPool,
  batchNorm,
  concat,
  conv,
  dense,
  globalAvgPool,
  maxPool,
  type Sym,
} from './blocks.js';
import type { ResolvedZooOptions } from './types.js';

const relu = (x: Sym) => act(x, 'relu');
const finish = (input: Sym, out: Sym, o: ResolvedZooOptions) =>
  tf.model({ inputs: input, outputs: out, name: o.name });

/** Four parallel paths concatenated on channels: 1×1 | 1×1→3×3 | 1×1→5×5 | maxpool→1×1. */
export function inception(x: Sym, c1: number, c2: [number, number], c3: [number, number], c4: number): Sym {
  const r = { activation: 'relu' as const };
  const b1 = conv(x, c1, 1, r);
  const b2 = conv(conv(x, c2[0], 1, r), c2[1], 3, { padding: 1, ...r });
  const b3 = conv(conv(x, c3[0], 1, r), c3[1], 5, { padding: 2, ...r });
  const b4 = conv(maxPool(x, 3, 1, 1), c4, 1, r);
  return concat([b1, b2, b3, b4]);
}

export function googlenet(o: ResolvedZooOptions): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  let x = maxPool(conv(input, 64, 7, { stride: 2, padding: 3, activation: 'relu' }), 3, 2, 1);
  x = conv(conv(x, 64, 1, { activation: 'relu' }), 192, 3, { padding: 1, activation: 'relu' });
  x = maxPool(x, 3, 2, 1);
  x = inception(inception(x, 64, [96, 128], [16, 32], 32), 128, [128, 192], [32, 96], 64);
  x = maxPool(x, 3, 2, 1);
  x = inception(x, 192, [96, 208], [16, 48], 64);
  x = inception(x, 160, [112, 224], [24, 64], 64);
  x = inception(x, 128, [128, 256], [24, 64], 64);
  x = inception(x, 112, [144, 288], [32, 64], 64);
  x = maxPool(inception(x, 256, [160, 320], [32, 128], 128), 3, 2, 1);
  x = inception(x, 256, [160, 320], [32, 128], 128);
  x = globalAvgPool(inception(x, 384, [192, 384], [48, 128], 128));
  return finish(input, dense(x, o.numClasses), o);
}

/** d2l's `Residual`: 3×3 conv-BN-ReLU, 3×3 conv-BN, plus the input (through a strided 1×1 conv when shapes change). */
export function residual(x: Sym, channels: number, use1x1: boolean, stride: number): Sym {
  let y = relu(batchNorm(conv(x, channels, 3, { padding: 1, stride })));
  y = batchNorm(conv(y, channels, 3, { padding: 1 }));
  const shortcut = use1x1 ? conv(x, channels, 1, { stride }) : x;
  return relu(add([y, shortcut]));
}

/** The 7×7/2 conv, BN, ReLU and 3×3/2 max-pool stem of ResNet and DenseNet. */
function stem(input: Sym, useBias = true): Sym {
  return maxPool(relu(batchNorm(conv(input, 64, 7, { stride: 2, padding: 3, useBias }))), 3, 2, 1);
}

/** d2l's ResNet with basic blocks: residuals per stage, channels 64·2^i. [2,2,2,2] = ResNet-18, [3,4,6,3] = ResNet-34. */
export function resnet(o: ResolvedZooOptions, residuals: number[]): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  let x = stem(input);
  residuals.forEach((n, i) => {
    for (let j = 0; j < n; j++) {
      x = j === 0 && i > 0 ? residual(x, 64 * 2 ** i, true, 2) : residual(x, 64 * 2 ** i, false, 1);
    }
  });
  return finish(input, dense(globalAvgPool(x), o.numClasses), o);
}

/** torchvision's Bottleneck: 1×1, 3×3 (stride), 1×1 ×4 channels, no conv biases, BN on the projection. */
export function bottleneck(x: Sym, cin: number, c: number, stride: number): Sym {
  const nb = { useBias: false };
  let y = relu(batchNorm(conv(x, c, 1, nb)));
  y = relu(batchNorm(conv(y, c, 3, { stride, padding: 1, ...nb })));
  y = batchNorm(conv(y, 4 * c, 1, nb));
  const shortcut = stride !== 1 || cin !== 4 * c ? batchNorm(conv(x, 4 * c, 1, { stride, ...nb })) : x;
  return relu(add([y, shortcut]));
}

export function resnet50(o: ResolvedZooOptions): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  let x = stem(input, false);
  let cin = 64;
  [3, 4, 6, 3].forEach((n, i) => {
    for (let j = 0; j < n; j++) {
      x = bottleneck(x, cin, 64 * 2 ** i, j === 0 && i > 0 ? 2 : 1);
      cin = 4 * 64 * 2 ** i;
    }
  });
  return finish(input, dense(globalAvgPool(x), o.numClasses), o);
}

/** BN → ReLU → 3×3 conv, concatenated onto its input, `convs` times. */
export function denseBlock(x: Sym, convs: number, growth: number): Sym {
  let y = x;
  for (let i = 0; i < convs; i++) y = concat([y, conv(relu(batchNorm(y)), growth, 3, { padding: 1 })]);
  return y;
}

export function densenet(o: ResolvedZooOptions, arch: number[] = [4, 4, 4, 4], growth = 32): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  let x = stem(input);
  let channels = 64;
  arch.forEach((convs, i) => {
    x = denseBlock(x, convs, growth);
    channels += convs * growth;
    if (i !== arch.length - 1) {
      channels = Math.floor(channels / 2);
      x = avgPool(conv(relu(batchNorm(x)), channels, 1), 2, 2);
    }
  });
  return finish(input, dense(globalAvgPool(relu(batchNorm(x))), o.numClasses), o);
}
