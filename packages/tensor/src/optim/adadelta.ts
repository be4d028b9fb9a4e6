/**
 * Adadelta as Zeiler (2012), d2l §12.9 and PyTorch define it. (tfjs's `tf.train.adadelta` divides
 * by the accumulated squared gradient of the *previous* step, so its first step is the raw
 * gradient times lr; with PyTorch's lr = 1 that diverges.)
 *
 *   s ← ρ·s + (1−ρ)·g²;  g' ← √(Δx + ε)/√(s + ε) · g;  Δx ← ρ·Δx + (1−ρ)·g'²;  w ← w − lr·g'
 */
import { tf } from '@dlpipe/engine';
import { SlottedOptimizer } from './slotted-optimizer.js';

export interface AdadeltaOptions {
  /** Default 1 (PyTorch). */
  learningRate?: number;
  /** Default 0.9. */
  rho?: number;
  /** Default 1e-6 (PyTorch). */
  epsilon?: number;
}

export class Adadelta extends SlottedOptimizer {
  static className = 'DlpipeAdadelta';
  learningRate: number;
  readonly rho: number;
  readonly epsilon: number;
  protected readonly slotNames = ['accum_grad', 'accum_update'];

  constructor(options: AdadeltaOptions = {}) {
    super();
    this.learningRate = options.learningRate ?? 1;
    this.rho = options.rho ?? 0.9;
    this.epsilon = options.epsilon ?? 1e-6;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | tf.NamedTensor[]): void {
    const { rho, epsilon: eps, learningRate: lr } = this;
    tf.tidy(() => {
      this.gradEntries(variableGradients).forEach(([name, g], i) => {
        if (g == null) return;
        const w = tf.engine().registeredVariables[name]!;
        const [s, dx] = this.slotsFor(i, name, w) as [tf.Variable, tf.Variable];
        const sNew = tf.add(tf.mul(s, rho), tf.mul(tf.square(g), 1 - rho));
        const step = tf.mul(tf.div(tf.sqrt(tf.add(dx, eps)), tf.sqrt(tf.add(sNew, eps))), g);
        s.assign(sNew);
        dx.assign(tf.add(tf.mul(dx, rho), tf.mul(tf.square(step), 1 - rho)));
        w.assign(tf.sub(w, tf.mul(step, lr)));
      });
    });
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(Adadelta);
