/**
 * Cheaper gradients for Sum and Mean, with tfjs's values: tfjs builds `ones(x.shape)` on the host
 * and multiplies (Mean then also divides) at full size; here the small dy is reshaped, divided by
 * the count (Mean) and broadcast with one Tile. Both sides compute each element as
 * fround(dy) (Sum) or fround(dy / n) (Mean), so results are identical on every backend. Only on
 * 'native' and 'cpu', whose Tile is fast; elsewhere (wasm: Tile 5× slower than its Multiply)
 * tfjs's own gradient runs.
 *
 *   registerReduceGrads();                         // once, when the native backend registers
 *   tf.grad((x) => tf.mean(x, [0, 1, 2]))(x);      // Reshape, RealDiv on [1,1,1,C], Tile
 */

import { BackendError } from '../../../errors.js';
import * as tf from '../../../tf.js';

const originals = new Map<string, tf.GradConfig>();

/** Backends where broadcasting with Tile beats multiplying by a host-made ones(x.shape). */
const FAST_TILE = new Set(['native', 'cpu']);

/** tfjs's own gradient of Sum or Mean, once replaced (for tests). */
export function tfjsReduceGrad(kernelName: string): tf.GradConfig | undefined {
  return originals.get(kernelName);
}

/** dy reshaped to x's rank with the reduced axes of size 1, as float32. */
function expandedDy(dy: tf.Tensor, x: tf.Tensor, axis: number | number[]): tf.Tensor {
  const shape = x.shape.slice();
  for (const a of tf.util.parseAxisParam(axis, x.shape)) shape[a] = 1;
  const d = tf.reshape(dy, shape);
  return d.dtype === 'float32' ? d : tf.cast(d, 'float32');
}

function register(
  kernelName: string,
  scale: (x: tf.Tensor, axis: number | number[]) => number | undefined,
): void {
  const original = tf.getGradient(kernelName);
  if (!original)
    throw new BackendError(
      `tfjs has no gradient for ${kernelName} to replace; reinstall the pinned @tensorflow/tfjs-core (pnpm install)`,
      { exitCode: 1 },
    );
  originals.set(kernelName, original);
  tf.registerGradient({
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      if (!FAST_TILE.has(tf.getBackend())) return original.gradFunc(dy, saved, attrs);
      const axis = attrs.axis as number | number[];
      const n = scale(x, axis);
      return {
        x: () => {
          if (x.size === 0) return tf.zeros(x.shape); // tf.broadcastTo mishandles zero-size targets
          const d = expandedDy(dy as tf.Tensor, x, axis);
          return tf.broadcastTo(n === undefined ? d : tf.div(d, n), x.shape);
        },
      };
    },
  });
}

/** Replaces the gradients of Sum and Mean. Idempotent. */
export function registerReduceGrads(): void {
  if (originals.size > 0) return;
  register(tf.Sum, () => undefined);
  register(tf.Mean, (x, axis) => {
    const axes = tf.util.parseAxisParam(axis, x.shape);
    return tf.util.sizeFromShape(tf.backend_util.computeOutAndReduceShapes(x.shape, axes)[1]);
  });
}
