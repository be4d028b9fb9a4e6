/**
 * A small L-BFGS minimizer (two-loop recursion, backtracking Armijo line search), the solver
 * scikit-learn's LogisticRegression uses by default. The objective returns its value and
 * gradient; dlpipe's logistic regression computes both with @dlpipe/tensor.
 *
 *   const r = lbfgs((x) => ({ value: (x[0]! - 3) ** 2, grad: Float64Array.of(2 * (x[0]! - 3)) }), [0]);
 */

export interface LbfgsOptions {
  /** Iterations. Default 100 (scikit-learn's max_iter). */
  maxIter?: number;
  /** Stop when max |gradient| <= gtol. Default 1e-5. */
  gtol?: number;
  /** Stop when the relative decrease of the value is below ftol. Default 1e-10. */
  ftol?: number;
  /** Correction pairs kept. Default 10. */
  memory?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
  reason: 'gtol' | 'ftol' | 'line search' | 'max_iter';
}

type Objective = (x: Float64Array) => { value: number; grad: Float64Array };

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i]!, 0);

/** The L-BFGS direction −H·g from the stored pairs. */
function direction(g: Float64Array, S: Float64Array[], Y: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const alpha: number[] = [];
  for (let i = S.length - 1; i >= 0; i--) {
    const a = dot(S[i]!, q) / dot(Y[i]!, S[i]!);
    alpha[i] = a;
    for (let j = 0; j < q.length; j++) q[j]! -= a * Y[i]![j]!;
  }
  const last = S.length - 1;
  const gamma = last >= 0 ? dot(S[last]!, Y[last]!) / dot(Y[last]!, Y[last]!) : 1;
  for (let j = 0; j < q.length; j++) q[j]! *= gamma;
  for (let i = 0; i < S.length; i++) {
    const b = dot(Y[i]!, q) / dot(Y[i]!, S[i]!);
    for (let j = 0; j < q.length; j++) q[j]! += S[i]![j]! * (alpha[i]! - b);
  }
  return q.map((v) => -v);
}

export function lbfgs(f: Objective, x0: ArrayLike<number>, o: LbfgsOptions = {}): LbfgsResult {
  const maxIter = o.maxIter ?? 100;
  const gtol = o.gtol ?? 1e-5;
  const ftol = o.ftol ?? 1e-10;
  let x = Float64Array.from(x0);
  let { value, grad } = f(x);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  for (let it = 1; it <= maxIter; it++) {
    if (grad.reduce((m, v) => Math.max(m, Math.abs(v)), 0) <= gtol)
      return { x, value, iterations: it - 1, converged: true, reason: 'gtol' };
    let d = direction(grad, S, Y);
    let slope = dot(grad, d);
    if (!(slope < 0)) {
      d = grad.map((v) => -v);
      slope = dot(grad, d);
      S.length = Y.length = 0;
    }
    let step = S.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(grad, grad))) : 1;
    let next: { value: number; grad: Float64Array } | undefined;
    let xn = x;
    for (let k = 0; k < 40; k++) {
      xn = x.map((v, j) => v + step * d[j]!);
      const r = f(xn);
      if (Number.isFinite(r.value) && r.value <= value + 1e-4 * step * slope) {
        next = r;
        break;
      }
      step /= 2;
    }
    if (!next) return { x, value, iterations: it, converged: true, reason: 'line search' };
    const s = xn.map((v, j) => v - x[j]!);
    const y = next.grad.map((v, j) => v - grad[j]!);
    if (dot(s, y) > 1e-12) {
      S.push(s);
      Y.push(y);
      if (S.length > (o.memory ?? 10)) {
        S.shift();
        Y.shift();
      }
    }
    const decrease = (value - next.value) / Math.max(Math.abs(value), Math.abs(next.value), 1);
    x = xn;
    value = next.value;
    grad = next.grad;
    if (decrease <= ftol) return { x, value, iterations: it, converged: true, reason: 'ftol' };
  }
  return { x, value, iterations: maxIter, converged: false, reason: 'max_iter' };
}
