/**
 * Building blocks of the d2l zoo as functional tfjs layers, with PyTorch's conventions: explicit
 * zero padding (so output sizes and windows match `nn.Conv2d(padding=p)` / `nn.MaxPool2d`),
 * batch norm with PyTorch's momentum 0.1 and eps 1e-5, and d2l's initialization: Xavier-uniform
 * kernels (d2l's `init_cnn`; tfjs's default would be a truncated glorotNormal) with PyTorch's
 * default biases U(±1/√fanIn) (`init_cnn` leaves biases as `nn.Conv2d`/`nn.Linear` made them;
 * tfjs would start them at 0).
 *
 *   let x = tf.input({ shape: [96, 96, 1] }); x = conv(x, 64, 7, { stride: 2, padding: 3 });
 */
import { batchNormalization, tf } from '@dlpipe/tensor';

export type Sym = tf.SymbolicTensor;

export interface ConvOptions {
  stride?: number;
  /** Zero padding on each side (PyTorch's `padding`). Default 0. */
  padding?: number;
  /** Default true (d2l's `LazyConv2d` has a bias). */
  useBias?: boolean;
  activation?: 'relu' | 'sigmoid' | 'linear';
}

/** PyTorch's default bias initializer of `nn.Conv2d`/`nn.Linear`: U(−1/√fanIn, 1/√fanIn). */
export function torchBias(fanIn: number): ReturnType<typeof tf.initializers.randomUniform> {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.initializers.randomUniform({ minval: -bound, maxval: bound });
}

/** PyTorch-style padding: stride-1 'same' convolutions stay 'same', others pad explicitly. */
function padded(x: Sym, k: number, stride: number, p: number): { x: Sym; padding: 'same' | 'valid' } {
  if (p === 0) return { x, padding: 'valid' };
  if (stride === 1 && 2 * p === k - 1) return { x, padding: 'same' };
  return { x: tf.layers.zeroPadding2d({ padding: p }).apply(x) as Sym, padding: 'valid' };
}

export function conv(x: Sym, filters: number, kernelSize: number, o: ConvOptions = {}): Sym {
  const stride = o.stride ?? 1;
  const fanIn = (x.shape[3] ?? 1) * kernelSize * kernelSize;
  const p = padded(x, kernelSize, stride, o.padding ?? 0);
  return tf.layers
    .conv2d({
      filters,
      kernelSize,
      strides: stride,
      padding: p.padding,
      useBias: o.useBias ?? true,
      kernelInitializer: 'glorotUniform',
      biasInitializer: torchBias(fanIn),
      activation: o.activation ?? 'linear',
    })
    .apply(p.x) as Sym;
}

/**
 * PyTorch `BatchNorm2d`/`BatchNorm1d` defaults: momentum 0.1 (tfjs 0.9), eps 1e-5; @dlpipe/tensor's
 * layer (tfjs-layers' BatchNormalization with a fused training step on the native backend).
 */
export function batchNorm(x: Sym): Sym {
  return batchNormalization({ momentum: 0.9, epsilon: 1e-5 }).apply(x) as Sym;
}

export function act(x: Sym, activation: 'relu' | 'sigmoid'): Sym {
  return tf.layers.activation({ activation }).apply(x) as Sym;
}

/** `nn.MaxPool2d(k, s, p)`; padding with zeros is exact after a ReLU (inputs ≥ 0). */
export function maxPool(x: Sym, k: number, stride: number, p = 0): Sym {
  if (p > 0 && stride === 1 && 2 * p === k - 1) {
    return tf.layers.maxPooling2d({ poolSize: k, strides: 1, padding: 'same' }).apply(x) as Sym;
  }
  const input = p > 0 ? (tf.layers.zeroPadding2d({ padding: p }).apply(x) as Sym) : x;
  return tf.layers.maxPooling2d({ poolSize: k, strides: stride, padding: 'valid' }).apply(input) as Sym;
}

export function avgPool(x: Sym, k: number, stride: number): Sym {
  return tf.layers.averagePooling2d({ poolSize: k, strides: stride, padding: 'valid' }).apply(x) as Sym;
}

export function dense(x: Sym, units: number, activation?: 'relu' | 'sigmoid'): Sym {
  const fanIn = x.shape[x.shape.length - 1] ?? 1;
  return tf.layers
    .dense({
      units,
      kernelInitializer: 'glorotUniform',
      biasInitializer: torchBias(fanIn),
      ...(activation ? { activation } : {}),
    })
    .apply(x) as Sym;
}

export function flatten(x: Sym): Sym {
  return tf.layers.flatten().apply(x) as Sym;
}

export function dropout(x: Sym, rate: number): Sym {
  return tf.layers.dropout({ rate }).apply(x) as Sym;
}

/** `nn.AdaptiveAvgPool2d((1, 1))` + `nn.Flatten()`. */
export function globalAvgPool(x: Sym): Sym {
  return tf.layers.globalAveragePooling2d({}).apply(x) as Sym;
}

export function concat(xs: Sym[]): Sym {
  return tf.layers.concatenate({ axis: -1 }).apply(xs) as Sym;
}

export function add(xs: Sym[]): Sym {
  return tf.layers.add().apply(xs) as Sym;
}
