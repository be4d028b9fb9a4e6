/**
 * d2l's ResNet-18, Fashion-MNIST variant (1×96×96 input, batch-norm, global average pooling),
 * NHWC, as a tfjs Layers model built with the functional API for the residual blocks.
 *
 *   const net = resnet18.create({ batch: 64 }); console.log(net.paramCount()); // 11178378
 */
import { batchNormalization, tf } from '@dlpipe/tensor';
import type { BenchModelSpec } from './bench-model.js';
import { layersClassifier } from './classifier.js';

/**
 * PyTorch's count for the same net: 11178378, from `sum(p.numel() for p in torch_reference
 * .resnet18().parameters())` run with /usr/bin/python3 on ../shared/bench/torch_reference.py
 * (torch 1.13). Batch-norm running statistics are buffers there and non-trainable weights here.
 */
export const RESNET18_TORCH_PARAMS = 11178378;

type Sym = tf.SymbolicTensor;

/** Batch-norm with PyTorch's defaults (eps 1e-5, momentum 0.1 ↔ tfjs momentum 0.9). */
function batchNorm(x: Sym): Sym {
  return batchNormalization({ epsilon: 1e-5, momentum: 0.9 }).apply(x) as Sym;
}

function conv(x: Sym, filters: number, kernelSize: number, strides = 1): Sym {
  const padding = kernelSize === 1 ? 'valid' : 'same';
  return tf.layers.conv2d({ filters, kernelSize, strides, padding }).apply(x) as Sym;
}

function relu(x: Sym): Sym {
  return tf.layers.reLU().apply(x) as Sym;
}

/** d2l's `Residual`: two 3×3 convs with batch-norm, a 1×1 conv on the shortcut when reshaping. */
function residual(X: Sym, numChannels: number, use1x1conv = false, strides = 1): Sym {
  let Y = relu(batchNorm(conv(X, numChannels, 3, strides)));
  Y = batchNorm(conv(Y, numChannels, 3));
  const shortcut = use1x1conv ? conv(X, numChannels, 1, strides) : X;
  return relu(tf.layers.add().apply([Y, shortcut]) as Sym);
}

/** d2l's `resnet_block`: `numResiduals` residuals, the first halving the size unless first. */
function resnetBlock(X: Sym, numChannels: number, numResiduals: number, firstBlock = false): Sym {
  let Y = X;
  for (let i = 0; i < numResiduals; i++) {
    Y = i === 0 && !firstBlock ? residual(Y, numChannels, true, 2) : residual(Y, numChannels);
  }
  return Y;
}

/** ResNet-18: 7×7 conv, max-pool, four blocks of two residuals (64…512), pool, dense 10. */
export function resnet18Net(size = 96): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 1] });
  let X = relu(batchNorm(conv(input, 64, 7, 2)));
  X = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(X) as Sym;
  X = resnetBlock(X, 64, 2, true);
  X = resnetBlock(X, 128, 2);
  X = resnetBlock(X, 256, 2);
  X = resnetBlock(X, 512, 2);
  X = tf.layers.globalAveragePooling2d({}).apply(X) as Sym;
  const output = tf.layers.dense({ units: 10 }).apply(X) as Sym;
  return tf.model({ inputs: input, outputs: output });
}

export const resnet18: BenchModelSpec = {
  name: 'resnet18',
  trainBatch: (quick) => (quick ? 32 : 64),
  forwardBatch: 64,
  latencyBatch: 1,
  warmup: 1,
  torchKeys: { train: 'resnet18', forward: 'resnetfwd', latency: 'resnetlat' },
  torchGroup: 'resnet',
  torchParams: RESNET18_TORCH_PARAMS,
  create: ({ batch, size = 96, lr = 0.05 }) =>
    layersClassifier(resnet18Net(size), { batch, inputShape: [size, size, 1], lr }),
};
