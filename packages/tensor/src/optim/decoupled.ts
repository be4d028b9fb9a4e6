/**
 * Optimizers with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay
 * Regularization"): the decay shrinks weights directly, w ← w − lr·λ·w, instead of being added to
 * the gradient, so it is not rescaled by Adam's adaptive denominators.
 *
 *   const opt = new AdamW({ learningRate: 1e-3, weightDecay: 0.01 });   // PyTorch AdamW defaults
 *   const sgd = new SGDW({ learningRate: 0.1, momentum: 0.9, weightDecay: 5e-4 });
 */
import { fusedAdamStep, fusedSgdStep, hasFusedAdam, hasFusedSgd, tf } from '@dlpipe/engine';
import { SlottedOptimizer } from './slotted-optimizer.js';

export interface AdamWOptions {
  /** Default 0.001. */
  learningRate?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** Decoupled decay λ. Default 0.01 (PyTorch). */
  weightDecay?: number;
}

/** Adam with decoupled weight decay, as PyTorch's `torch.optim.AdamW`. */
export class AdamW extends SlottedOptimizer {
  static className = 'AdamW';
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  protected readonly slotNames = ['m', 'v'];

  constructor(options: AdamWOptions = {}) {
    super();
    this.learningRate = options.learningRate ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0.01;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | tf.NamedTensor[]): void {
    const t = this.iterations + 1;
    const c1 = 1 - this.beta1 ** t;
    const c2 = 1 - this.beta2 ** t;
    const lr = this.learningRate;
    const fused = hasFusedAdam();
    const attrs = {
      lr,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      c1,
      c2,
      weightDecay: this.weightDecay,
    };
    tf.tidy(() => {
      this.gradEntries(variableGradients).forEach(([name, g], i) => {
        if (g == null) return;
        const w = tf.engine().registeredVariables[name]!;
        const [m, v] = this.slotsFor(i, name, w) as [tf.Variable, tf.Variable];
        if (fused && g.dtype === 'float32') {
          fusedAdamStep(w, g, m, v, attrs);
          return;
        }
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const step = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon));
        w.assign(tf.sub(tf.mul(w, 1 - lr * this.weightDecay), tf.mul(step, lr)));
      });
    });
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
    };
  }
}

export interface SGDWOptions {
  /** Default 0.01. */
  learningRate?: number;
  /** Heavy-ball momentum (PyTorch semantics: buf ← μ·buf + g). Default 0. */
  momentum?: number;
  /** Nesterov momentum. Default false. */
  nesterov?: boolean;
  /** Decoupled decay λ: w ← w − lr·λ·w. Default 0. */
  weightDecay?: number;
}

/** SGD (optionally with momentum) and decoupled weight decay. */
export class SGDW extends SlottedOptimizer {
  static className = 'SGDW';
  learningRate: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  protected readonly slotNames = ['momentum'];

  constructor(options: SGDWOptions = {}) {
    super();
    this.learningRate = options.learningRate ?? 0.01;
    this.momentum = options.momentum ?? 0;
    this.nesterov = options.nesterov ?? false;
    this.weightDecay = options.weightDecay ?? 0;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | tf.NamedTensor[]): void {
    const lr = this.learningRate;
    const first = this.iterations === 0;
    const fused = hasFusedSgd();
    const attrs = {
      lr,
      momentum: this.momentum,
      weightDecay: this.weightDecay,
      nesterov: this.nesterov,
      first,
    };
    tf.tidy(() => {
      this.gradEntries(variableGradients).forEach(([name, g], i) => {
        if (g == null) return;
        const w = tf.engine().registeredVariables[name]!;
        const buf = this.momentum > 0 ? (this.slotsFor(i, name, w)[0] as tf.Variable) : undefined;
        if (fused && g.dtype === 'float32') {
          fusedSgdStep(w, g, buf, attrs);
          return;
        }
        let d: tf.Tensor = g;
        if (buf) {
          buf.assign(first ? g : tf.add(tf.mul(buf, this.momentum), g));
          d = this.nesterov ? tf.add(g, tf.mul(buf, this.momentum)) : buf;
        }
        w.assign(tf.sub(tf.mul(w, 1 - lr * this.weightDecay), tf.mul(d, lr)));
      });
    });
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      learningRate: this.learningRate,
      momentum: this.momentum,
      nesterov: this.nesterov,
      weightDecay: this.weightDecay,
    };
  }
}

/** Adam (Kingma & Ba) with PyTorch's defaults (ε 1e-8), through the same fused update as AdamW. */
export class Adam extends AdamW {
  static override className = 'DlpipeAdam';
  constructor(options: Omit<AdamWOptions, 'weightDecay'> = {}) {
    super({ ...options, weightDecay: 0 });
  }
}

/** Plain or momentum SGD (PyTorch semantics) through the fused update. */
export class SGD extends SGDW {
  static override className = 'DlpipeSGD';
}

tf.serialization.registerClass(AdamW);
tf.serialization.registerClass(SGD);
tf.serialization.registerClass(Adam);
tf.serialization.registerClass(SGDW);
