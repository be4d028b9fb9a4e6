/**
 * The fully connected layer the attention modules are made of, as PyTorch's `nn.LazyLinear`:
 * y = x W + b over the last axis, its input width taken from the first input unless given (the
 * tfjs `build()` step), weights drawn as PyTorch's default, U(±1/√inputDim). The kernel W is
 * [inputDim, units] (PyTorch's `weight` transposed). Plus the small module protocol every
 * attention module follows: named trainable variables, assignment by name with checked shapes.
 *
 *   const W_q = new Linear({ units: 8, useBias: false });
 *   const y = W_q.apply(X);                      // X [batch, steps, 20] → [batch, steps, 8]
 */
import { tf } from '@dlpipe/tensor';
import { AttentionError } from './attention-error.js';

export interface LinearOptions {
  /** Output width. */
  units: number;
  /** Add a bias. Default true (PyTorch). */
  useBias?: boolean;
  /** Input width; default: taken from the first input (LazyLinear). */
  inputDim?: number;
}

export class Linear {
  readonly units: number;
  readonly useBias: boolean;
  private w: { kernel: tf.Variable; bias?: tf.Variable } | undefined;

  constructor(options: LinearOptions) {
    this.units = options.units;
    this.useBias = options.useBias ?? true;
    if (options.inputDim !== undefined) this.build(options.inputDim);
  }

  /** Input width once built. */
  get inputDim(): number | undefined {
    return this.w?.kernel.shape[0];
  }

  /** Creates the weights for inputs of width `inputDim` (once; later calls must agree). */
  build(inputDim: number): void {
    if (this.w) {
      if (this.w.kernel.shape[0] !== inputDim) {
        throw new AttentionError(
          `a linear layer built for inputs of width ${this.w.kernel.shape[0]} got width ${inputDim}; ` +
            'feed it inputs of one width (create another module for another width).',
        );
      }
      return;
    }
    const bound = 1 / Math.sqrt(inputDim);
    const uniform = (shape: number[]) => {
      const init = tf.randomUniform(shape, -bound, bound);
      const v = tf.variable(init);
      init.dispose(); // the variable holds its own reference to the data
      return v;
    };
    this.w = { kernel: uniform([inputDim, this.units]) };
    if (this.useBias) this.w.bias = uniform([this.units]);
  }

  /** x W (+ b) over the last axis of x (any rank ≥ 2). */
  apply(x: tf.Tensor): tf.Tensor {
    const inputDim = x.shape[x.rank - 1] ?? 0;
    this.build(inputDim);
    const { kernel, bias } = this.w!;
    return tf.tidy(() => {
      const flat = tf.reshape(x, [-1, inputDim]) as tf.Tensor2D;
      const y = bias ? tf.add(tf.matMul(flat, kernel), bias) : tf.matMul(flat, kernel);
      return tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
  }

  /** `kernel` [inputDim, units] and `bias` [units] (empty before the first call or `build`). */
  namedWeights(): Record<string, tf.Variable> {
    if (!this.w) return {};
    return this.w.bias ? { kernel: this.w.kernel, bias: this.w.bias } : { kernel: this.w.kernel };
  }

  dispose(): void {
    tf.dispose(Object.values(this.namedWeights()));
    this.w = undefined;
  }
}

/** The weights of sub-modules under `prefix.` names: { W_q: linear } → { 'W_q.kernel': … }. */
export function prefixWeights(
  parts: Record<string, { namedWeights(): Record<string, tf.Variable> }>,
): Record<string, tf.Variable> {
  return Object.fromEntries(
    Object.entries(parts).flatMap(([p, m]) =>
      Object.entries(m.namedWeights()).map(([k, v]) => [`${p}.${k}`, v]),
    ),
  );
}

/**
 * Assigns `values` to the variables of `targets` by name: every name must be there with the same
 * shape (all are checked before any is assigned, so a mismatch changes nothing).
 */
export function assignWeights(
  what: string,
  targets: Record<string, tf.Variable>,
  values: Readonly<Record<string, tf.Tensor>>,
): void {
  const want = Object.keys(targets).sort();
  const got = Object.keys(values).sort();
  if (want.join() !== got.join()) {
    throw new AttentionError(
      `${what}: weights [${got.join(', ')}] do not match the module's [${want.join(', ')}]` +
        (want.length === 0 ? '; run it once (or pass its input dims) so it builds its weights first.' : '.'),
    );
  }
  for (const k of want) {
    const t = targets[k]!.shape.join();
    const v = values[k]!.shape.join();
    if (t !== v)
      throw new AttentionError(`${what}: weight '${k}' has shape [${v}]; the module needs [${t}].`);
  }
  for (const k of want) targets[k]!.assign(values[k]!);
}
