/**
 * d2l's early networks, layer for layer: MLP (§5.2), LeNet (§7.6), LeNet with batch norm
 * (§8.5), AlexNet (§8.1), VGG (§8.2, blocks as (convs, channels) pairs), NiN (§8.3).
 * Outputs are logits (no softmax), as in d2l.
 *
 *   const net = lenet({ inputShape: [28, 28, 1], numClasses: 10 });
 */
import { tf } from '@dlpipe/tensor';
import {
  act,
  avgPool,
  batchNorm,
  conv,
  dense,
  dropout,
  flatten,
  globalAvgPool,
  maxPool,
  type Sym,
} from './blocks.js';
import type { ResolvedZooOptions } from './types.js';

const finish = (input: Sym, out: Sym, o: ResolvedZooOptions) =>
  tf.model({ inputs: input, outputs: out, name: o.name });

/** Flatten → 256 ReLU → classes. */
export function mlp(o: ResolvedZooOptions, hidden = 256): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  return finish(input, dense(dense(flatten(input), hidden, 'relu'), o.numClasses), o);
}

/** LeNet-5 as d2l: sigmoid, average pooling, 5×5 convs (the first padded 2). */
export function lenet(o: ResolvedZooOptions): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  let x = avgPool(conv(input, 6, 5, { padding: 2, activation: 'sigmoid' }), 2, 2);
  x = flatten(avgPool(conv(x, 16, 5, { activation: 'sigmoid' }), 2, 2));
  x = dense(dense(x, 120, 'sigmoid'), 84, 'sigmoid');
  return finish(input, dense(x, o.numClasses), o);
}

/** d2l's BNLeNet: batch norm after every conv and hidden dense layer, before the sigmoid. */
export function lenetBn(o: ResolvedZooOptions): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  let x = avgPool(act(batchNorm(conv(input, 6, 5)), 'sigmoid'), 2, 2);
  x = flatten(avgPool(act(batchNorm(conv(x, 16, 5)), 'sigmoid'), 2, 2));
  x = act(batchNorm(dense(x, 120)), 'sigmoid');
  x = act(batchNorm(dense(x, 84)), 'sigmoid');
  return finish(input, dense(x, o.numClasses), o);
}

export function alexnet(o: ResolvedZooOptions): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  let x = maxPool(conv(input, 96, 11, { stride: 4, padding: 1, activation: 'relu' }), 3, 2);
  x = maxPool(conv(x, 256, 5, { padding: 2, activation: 'relu' }), 3, 2);
  for (const c of [384, 384, 256]) x = conv(x, c, 3, { padding: 1, activation: 'relu' });
  x = flatten(maxPool(x, 3, 2));
  x = dropout(dense(x, 4096, 'relu'), 0.5);
  x = dropout(dense(x, 4096, 'relu'), 0.5);
  return finish(input, dense(x, o.numClasses), o);
}

/** VGG-11's blocks (d2l's default); pass others, e.g. VGG-16's [[2,64],[2,128],[3,256],[3,512],[3,512]]. */
export const VGG11: Array<[number, number]> = [
  [1, 64],
  [1, 128],
  [2, 256],
  [2, 512],
  [2, 512],
];

export function vgg(o: ResolvedZooOptions, arch: Array<[number, number]> = VGG11): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  let x: Sym = input;
  for (const [convs, channels] of arch) {
    for (let i = 0; i < convs; i++) x = conv(x, channels, 3, { padding: 1, activation: 'relu' });
    x = maxPool(x, 2, 2);
  }
  x = dropout(dense(flatten(x), 4096, 'relu'), 0.5);
  x = dropout(dense(x, 4096, 'relu'), 0.5);
  return finish(input, dense(x, o.numClasses), o);
}

function ninBlock(x: Sym, c: number, k: number, stride: number, padding: number): Sym {
  const y = conv(x, c, k, { stride, padding, activation: 'relu' });
  return conv(conv(y, c, 1, { activation: 'relu' }), c, 1, { activation: 'relu' });
}

export function nin(o: ResolvedZooOptions): tf.LayersModel {
  const input = tf.input({ shape: o.inputShape });
  let x = maxPool(ninBlock(input, 96, 11, 4, 0), 3, 2);
  x = maxPool(ninBlock(x, 256, 5, 1, 2), 3, 2);
  x = dropout(maxPool(ninBlock(x, 384, 3, 1, 1), 3, 2), 0.5);
  return finish(input, globalAvgPool(ninBlock(x, o.numClasses, 3, 1, 1)), o);
}
