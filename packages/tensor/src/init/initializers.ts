/**
 * Weight initializers by d2l's names, for Layers (`kernelInitializer: initializer('xavierUniform')`)
 * and custom models (`initializer('heNormal').apply([784, 256])`).
 *
 * Variances (fanIn, fanOut as PyTorch/Keras compute them for dense and conv kernels):
 *   xavierUniform  U(±√(6/(fanIn+fanOut)))        var 2/(fanIn+fanOut)
 *   xavierNormal   N(0, 2/(fanIn+fanOut))          (plain normal, as PyTorch's xavier_normal_)
 *   heUniform      U(±√(6/fanIn))                  var 2/fanIn
 *   heNormal       N(0, 2/fanIn)                   (plain normal, as PyTorch's kaiming_normal_)
 *   normal001      N(0, 0.01²)                     (d2l's default for linear regression / MLPs)
 *   zeros, ones
 */
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';

type Shape = number[];

/** fanIn/fanOut of a weight shape: [in, out] for dense, [kh, kw, in, out] for conv (tfjs layout). */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** tfjs-layers' Initializer base class (not exported by name from its bundle). */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;
const InitializerBase = Object.getPrototypeOf(
  tf.initializers.zeros().constructor,
) as abstract new () => Initializer;

/** A plain normal with a variance computed from the shape's fans. */
class FanNormal extends InitializerBase {
  static className = 'DlpipeFanNormal';
  constructor(
    readonly mode: 'fanIn' | 'fanAvg',
    readonly gain: number,
    readonly seed?: number,
  ) {
    super();
  }
  override apply(shape: Shape, dtype?: tf.DataType): tf.Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : (fanIn + fanOut) / 2;
    return tf.randomNormal(shape, 0, Math.sqrt(this.gain / n), (dtype ?? 'float32') as 'float32', this.seed);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { mode: this.mode, gain: this.gain, seed: this.seed ?? null };
  }
  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config.mode, config.gain, config.seed ?? undefined);
  }
}
tf.serialization.registerClass(FanNormal);

export const INITIALIZERS = {
  xavierUniform: (seed?: number) => tf.initializers.glorotUniform({ seed }),
  xavierNormal: (seed?: number) => new FanNormal('fanAvg', 1, seed),
  heUniform: (seed?: number) => tf.initializers.heUniform({ seed }),
  heNormal: (seed?: number) => new FanNormal('fanIn', 2, seed),
  normal001: (seed?: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.01, seed }),
  zeros: () => tf.initializers.zeros(),
  ones: () => tf.initializers.ones(),
} as const;
export type InitializerName = keyof typeof INITIALIZERS;

/** An initializer by name; an unknown name is an error that lists the known ones. */
export function initializer(name: InitializerName | string, seed?: number): Initializer {
  const make = (INITIALIZERS as Record<string, (seed?: number) => Initializer>)[name];
  if (!make) {
    throw new OptionsError(
      `unknown initializer '${name}'; expected one of ${Object.keys(INITIALIZERS).join(', ')}`,
    );
  }
  return make(seed);
}
