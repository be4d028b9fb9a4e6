/**
 * Train / validation / test splits and k-fold cross-validation over row indices, seeded with
 * @dlpipe/core's `Rng`; stratified versions keep each class's share in every part (per class,
 * the test count is its share of the test size, rounded by largest remainder).
 *
 *   const { train, test } = trainTestSplit(n, { testSize: 0.2, stratify: labels, seed: 0 });
 *   for (const { train, test } of kFold(n, { k: 5, shuffle: true, seed: 0 })) …
 */
import { InvalidArgumentError, OptionsError, Rng } from '@dlpipe/core';

export interface SplitOptions {
  /** Proportion (0, 1) or count of test rows. Default 0.25 (scikit-learn's). */
  testSize?: number;
  /** Proportion or count of validation rows, taken from what is not test. Default 0. */
  valSize?: number;
  /** Class of each row: each part keeps the class proportions. */
  stratify?: ArrayLike<number | string | null>;
  /** Shuffle before splitting. Default true (without stratify; a stratified split always shuffles). */
  shuffle?: boolean;
  /** Default 0. */
  seed?: number;
}

export interface Split {
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

function count(size: number | undefined, n: number, name: string, dflt: number): number {
  const s = size ?? dflt;
  const k = s > 0 && s < 1 ? Math.ceil(s * n) : s;
  if (!(Number.isInteger(k) && k >= 0 && k <= n)) {
    throw new OptionsError(`${name} must be a proportion in (0, 1) or a count in 0..${n}, got ${size}`);
  }
  return k;
}

/** Row indices grouped by class, in row order. */
export function groupByClass(labels: ArrayLike<number | string | null>): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const k = String(labels[i]);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Splits `total` into per-group integer counts proportional to `sizes` (largest remainder). */
export function apportion(sizes: number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (n === 0 ? 0 : (s * total) / n));
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((e, i) => [e - Math.floor(e), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (out[i]! < sizes[i]!) {
      out[i]!++;
      left--;
    }
  }
  return out;
}

/** Train, validation and test row indices (each sorted). */
export function trainTestSplit(n: number, options: SplitOptions = {}): Split {
  const nTest = count(options.testSize, n, 'testSize', 0.25);
  const nVal = count(options.valSize, n - nTest, 'valSize', 0);
  const rng = new Rng(options.seed ?? 0);
  const parts: number[][] = [[], [], []];
  if (options.stratify) {
    if (options.stratify.length !== n) {
      throw new InvalidArgumentError(
        `stratify has ${options.stratify.length} labels for ${n} rows; expected one label per row`,
      );
    }
    const groups = [...groupByClass(options.stratify).values()];
    const tests = apportion(
      groups.map((g) => g.length),
      nTest,
    );
    const vals = apportion(
      groups.map((g, i) => g.length - tests[i]!),
      nVal,
    );
    groups.forEach((g, i) => {
      rng.shuffle(g);
      parts[2]!.push(...g.slice(0, tests[i]));
      parts[1]!.push(...g.slice(tests[i], tests[i]! + vals[i]!));
      parts[0]!.push(...g.slice(tests[i]! + vals[i]!));
    });
  } else {
    const order =
      options.shuffle === false ? Int32Array.from({ length: n }, (_, i) => i) : rng.permutation(n);
    parts[0]!.push(...order.subarray(0, n - nTest - nVal));
    parts[1]!.push(...order.subarray(n - nTest - nVal, n - nTest));
    parts[2]!.push(...order.subarray(n - nTest));
  }
  const sorted = (a: number[]) => Int32Array.from(a).sort();
  return { train: sorted(parts[0]!), val: sorted(parts[1]!), test: sorted(parts[2]!) };
}

export interface KFoldOptions {
  /** Number of folds. Default 5. */
  k?: number;
  /** Shuffle rows before folding. Default false (scikit-learn's). */
  shuffle?: boolean;
  seed?: number;
  /** Class of each row: every fold gets each class's share (±1). */
  stratify?: ArrayLike<number | string | null>;
}

/** k folds: the first n % k folds get one extra row, as scikit-learn's KFold. */
export function* kFold(
  n: number,
  options: KFoldOptions = {},
): Generator<{ train: Int32Array; test: Int32Array; fold: number }> {
  const k = options.k ?? 5;
  if (!(Number.isInteger(k) && k >= 2 && k <= n))
    throw new OptionsError(`k must be an integer in 2..${n} (rows), got ${k}`);
  const rng = new Rng(options.seed ?? 0);
  const foldOf = new Int32Array(n);
  if (options.stratify) {
    let next = 0;
    for (const g of groupByClass(options.stratify).values()) {
      if (options.shuffle) rng.shuffle(g);
      for (const i of g) foldOf[i] = next++ % k;
    }
  } else {
    const order = options.shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    let at = 0;
    for (let f = 0; f < k; f++) {
      const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
      for (let j = 0; j < size; j++) foldOf[order[at++]!] = f;
    }
  }
  for (let f = 0; f < k; f++) {
    const test: number[] = [];
    const train: number[] = [];
    for (let i = 0; i < n; i++) (foldOf[i] === f ? test : train).push(i);
    yield { train: Int32Array.from(train), test: Int32Array.from(test), fold: f };
  }
}
