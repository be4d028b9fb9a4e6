/**
 * Multinomial logistic regression on @dlpipe/tensor, as scikit-learn's `LogisticRegression`:
 * minimizes Σ cross-entropy + ‖W‖²/(2C) (the intercept is not penalized). The default solver is
 * L-BFGS (full batch; value and gradient computed by tfjs), which reaches scikit-learn's optimum;
 * 'adam' trains mini-batches through the shared `fit` loop for data too big for full batches.
 *
 *   const lr = new LogisticRegression({ C: 1 });
 *   await lr.fit(X, y);  const P = lr.predictProba(Xtest);
 */
import { cosineLr, fit, type TrainTask, tensorDataSource, tf, type XYBatch } from '@dlpipe/tensor';
import { LabelError } from '../errors.js';
import { type Classifier, float32, type Matrix } from './classifier.js';
import { lbfgs } from './lbfgs.js';
import { fitClasses, trivialProba, xyTensors } from './tensor-fit.js';

export interface LogisticRegressionOptions {
  /** Inverse regularization strength, as scikit-learn. Default 1. */
  C?: number;
  /** Default 'lbfgs'. */
  solver?: 'lbfgs' | 'adam';
  /** L-BFGS iterations (scikit-learn's max_iter). Default 100. */
  maxIter?: number;
  /** L-BFGS: stop when max |gradient| <= tol. Default 1e-4 (scikit-learn's). */
  tol?: number;
  /** Adam: epochs, learning rate (cosine-decayed), batch size. Defaults 50, 0.05, 256. */
  epochs?: number;
  lr?: number;
  batchSize?: number;
  /** Adam: seed of the data order. Default 0. */
  seed?: number;
  /**
   * L-BFGS: start from the previous fit's solution when the features and classes match
   * (scikit-learn's warm_start). The problem is convex, so the optimum is the same; it is reached
   * in fewer iterations. Default false.
   */
  warmStart?: boolean;
}

/**
 * Mean cross-entropy + λ/2·‖W‖² over a batch, λ = 1/(C·n): scikit-learn's objective divided by n
 * (same optimum; its convergence test also uses this scaled gradient).
 */
function objective(
  x: tf.Tensor2D,
  yOneHot: tf.Tensor2D,
  W: tf.Tensor,
  b: tf.Tensor,
  lambda: number,
): tf.Scalar {
  const logits = tf.add(tf.matMul(x, W as tf.Tensor2D), b);
  const ce = tf.neg(tf.mean(tf.sum(tf.mul(yOneHot, tf.logSoftmax(logits)), 1)));
  return tf.add(ce, tf.mul(lambda / 2, tf.sum(tf.square(W)))) as tf.Scalar;
}

export class LogisticRegression implements Classifier<Matrix> {
  classes: number[] = [];
  /** What the last L-BFGS run did. */
  solverInfo: { iterations: number; converged: boolean; reason: string } | undefined;
  private W: Float32Array | undefined;
  private b: Float32Array | undefined;
  private d = 0;

  constructor(readonly options: LogisticRegressionOptions = {}) {
    const C = options.C ?? 1;
    if (!(C > 0)) throw new LabelError(`LogisticRegression C must be > 0, got ${C}`);
  }

  clone(): LogisticRegression {
    return new LogisticRegression(this.options);
  }

  async fit(X: Matrix, y: ArrayLike<number>): Promise<this> {
    const classes = fitClasses('LogisticRegression.fit', X, y);
    const prev = this.warmState(X.shape[1], classes);
    this.classes = classes;
    this.d = X.shape[1];
    this.W = this.b = undefined;
    if (this.classes.length < 2) return this;
    const { x, yi } = xyTensors(X, y, this.classes);
    try {
      if ((this.options.solver ?? 'lbfgs') === 'lbfgs') this.fitLbfgs(x, yi, prev);
      else await this.fitAdam(x, yi);
    } finally {
      tf.dispose([x, yi]);
    }
    return this;
  }

  /** The previous solution as a start point, when warm starting applies. */
  private warmState(d: number, classes: number[]): Float64Array | undefined {
    if (
      !this.options.warmStart ||
      !this.W ||
      !this.b ||
      d !== this.d ||
      classes.join() !== this.classes.join()
    )
      return undefined;
    const x0 = new Float64Array(this.W.length + this.b.length);
    x0.set(this.W);
    x0.set(this.b, this.W.length);
    return x0;
  }

  private fitLbfgs(x: tf.Tensor2D, yi: tf.Tensor1D, x0?: Float64Array): void {
    const [d, k] = [this.d, this.classes.length];
    const C = this.options.C ?? 1;
    const yOneHot = tf.oneHot(yi, k).toFloat() as tf.Tensor2D;
    const lambda = 1 / (C * x.shape[0]);
    const vg = tf.valueAndGrads((W: tf.Tensor, b: tf.Tensor) => objective(x, yOneHot, W, b, lambda));
    const f = (theta: Float64Array) => {
      const grad = new Float64Array(d * k + k);
      let value = 0;
      tf.tidy(() => {
        const W = tf.tensor2d(Float32Array.from(theta.subarray(0, d * k)), [d, k]);
        const b = tf.tensor1d(Float32Array.from(theta.subarray(d * k)));
        const r = vg([W, b]);
        grad.set(r.grads[0]!.dataSync());
        grad.set(r.grads[1]!.dataSync(), d * k);
        value = r.value.dataSync()[0]!;
      });
      return { value, grad };
    };
    const r = lbfgs(f, x0 ?? new Float64Array(d * k + k), {
      maxIter: this.options.maxIter ?? 100,
      gtol: this.options.tol ?? 1e-4,
    });
    yOneHot.dispose();
    this.solverInfo = { iterations: r.iterations, converged: r.converged, reason: r.reason };
    this.W = Float32Array.from(r.x.subarray(0, d * k));
    this.b = Float32Array.from(r.x.subarray(d * k));
  }

  private async fitAdam(x: tf.Tensor2D, yi: tf.Tensor1D): Promise<void> {
    const [d, k] = [this.d, this.classes.length];
    const n = x.shape[0];
    const C = this.options.C ?? 1;
    const W = tf.variable(tf.zeros([d, k]));
    const b = tf.variable(tf.zeros([k]));
    const bs = Math.min(n, this.options.batchSize ?? 256);
    const task: TrainTask<XYBatch> = {
      trainableVariables: () => [W, b],
      stateTensors: () => [W, b],
      loss: (batch) =>
        objective(
          batch.x as tf.Tensor2D,
          tf.oneHot(batch.y as tf.Tensor1D, k).toFloat() as tf.Tensor2D,
          W,
          b,
          1 / (C * n),
        ),
    };
    const data = tensorDataSource({ x, y: yi }, { batchSize: bs, shuffle: true });
    const epochs = this.options.epochs ?? 50;
    const lr = this.options.lr ?? 0.05;
    try {
      await fit(task, data, {
        epochs,
        optimizer: { name: 'adam', lr },
        schedule: cosineLr({ lr, finalLr: lr / 100, totalSteps: epochs * (data.length ?? 1) }),
        progress: false,
        seed: this.options.seed ?? 0,
        logEvery: 0,
      });
      this.W = W.dataSync() as Float32Array;
      this.b = b.dataSync() as Float32Array;
    } finally {
      tf.dispose([W, b]);
    }
  }

  predictProba(X: Matrix): Matrix {
    const n = X.shape[0];
    const trivial = trivialProba('LogisticRegression', this.classes, n);
    if (trivial) return trivial;
    if (X.shape[1] !== this.d)
      throw new LabelError(`LogisticRegression was fitted on ${this.d} features but X has ${X.shape[1]}`);
    const k = this.classes.length;
    const p = tf.tidy(() =>
      tf.softmax(
        tf.add(
          tf.matMul(tf.tensor2d(float32(X.data), X.shape, 'float32'), tf.tensor2d(this.W!, [this.d, k])),
          tf.tensor1d(this.b!),
        ),
      ),
    );
    const data = Float64Array.from(p.dataSync());
    p.dispose();
    return { data, shape: [n, k] };
  }

  /** Weights [classes][features] (scikit-learn's coef_ layout) and intercepts. */
  coefficients(): { coef: number[][]; intercept: number[] } {
    if (!this.W || !this.b) throw new LabelError('LogisticRegression is not fitted (or saw one class only)');
    const k = this.classes.length;
    const coef = Array.from({ length: k }, (_, c) =>
      Array.from({ length: this.d }, (_, j) => this.W![j * k + c]!),
    );
    return { coef, intercept: Array.from(this.b) };
  }
}
