/**
 * d2l's LeNet-5 (sigmoid, average pooling) on 1×28×28 images, NHWC, as a tfjs Layers model.
 *
 *   const net = lenet.create({ batch: 256 }); console.log(net.paramCount()); // 61706
 */
import { tf } from '@dlpipe/tensor';
import type { BenchModelSpec } from './bench-model.js';
import { layersClassifier } from './classifier.js';

/**
 * PyTorch's count for the same net: 61706, from `sum(p.numel() for p in torch_reference.lenet()
 * .parameters())` run with /usr/bin/python3 on ../shared/bench/torch_reference.py (torch 1.13).
 */
export const LENET_TORCH_PARAMS = 61706;

/** LeNet: conv(6, 5×5, pad 2) → avgpool → conv(16, 5×5) → avgpool → 120 → 84 → 10. */
export function lenetNet(): tf.LayersModel {
  const net = tf.sequential();
  net.add(
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 6,
      kernelSize: 5,
      padding: 'same',
      activation: 'sigmoid',
    }),
  );
  net.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  net.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'sigmoid' }));
  net.add(tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }));
  net.add(tf.layers.flatten());
  net.add(tf.layers.dense({ units: 120, activation: 'sigmoid' }));
  net.add(tf.layers.dense({ units: 84, activation: 'sigmoid' }));
  net.add(tf.layers.dense({ units: 10 }));
  return net;
}

export const lenet: BenchModelSpec = {
  name: 'lenet',
  trainBatch: () => 256,
  forwardBatch: 256,
  warmup: 10,
  iters: 15,
  torchKeys: { train: 'lenet', forward: 'lenetfwd' },
  torchGroup: 'lenet',
  torchParams: LENET_TORCH_PARAMS,
  create: ({ batch, lr = 0.9 }) => layersClassifier(lenetNet(), { batch, inputShape: [28, 28, 1], lr }),
};
