/**
 * Self-training with scikit-learn's exact semantics (`sklearn.semi_supervised.SelfTrainingClassifier`,
 * 1.2): fit the base classifier on the labeled rows, pseudo-label the unlabeled rows whose top
 * probability is > threshold (or the k best), repeat until maxIter, no change, or all labeled;
 * then fit once more on everything labeled. Unlabeled rows are -1, null or NaN in y.
 *
 *   const st = new SelfTrainingClassifier(new LogisticRegression(), { threshold: 0.9 });
 *   await st.fit(X, y);  st.transduction; st.labeledIter; st.nIter; st.terminationCondition;
 */
import { ProgressBar } from '@dlpipe/core';
import { z } from 'zod';
import {
  argmaxClasses,
  type Classifier,
  type Features,
  type Matrix,
  nRows,
  takeRows,
} from './classifiers/classifier.js';
import { LabelError } from './errors.js';

export interface SelfTrainingOptions {
  /** 'threshold' (default) or 'k_best'. */
  criterion?: 'threshold' | 'k_best';
  /** Add pseudo-labels with probability strictly above this, in [0, 1). Default 0.75. */
  threshold?: number;
  /** Pseudo-labels added per iteration with 'k_best'. Default 10. */
  kBest?: number;
  /** Iterations; null runs until nothing changes or all are labeled. Default 10. */
  maxIter?: number | null;
  /** Called after each iteration (the classifier is the one fitted in that iteration). */
  onIteration?: (info: IterationInfo<never>) => void | Promise<void>;
  /** A progress bar on stderr. Default false. */
  progress?: boolean;
}

export const selfTrainingSchema = z.object({
  criterion: z.enum(['threshold', 'k_best']).optional(),
  threshold: z.number().min(0).lt(1).optional(),
  kBest: z.number().int().min(1).optional(),
  maxIter: z.number().int().min(0).nullable().optional(),
});

export interface IterationInfo<X extends Features> {
  /** 1-based iteration. */
  iteration: number;
  /** Rows pseudo-labeled in this iteration. */
  added: number;
  /** Labeled rows after this iteration. */
  labeled: number;
  /** The base classifier as fitted at the start of this iteration. */
  classifier: Classifier<X>;
}

export type TerminationCondition = 'max_iter' | 'no_change' | 'all_labeled';

/** True for an unlabeled mark: -1, null, undefined or NaN. */
export function isUnlabeled(v: number | null | undefined): boolean {
  return v === null || v === undefined || v === -1 || Number.isNaN(v);
}

/** Indices of the k largest values, ties broken by lower index (numpy's argpartition leaves them open). */
export function topK(values: Float64Array, k: number): number[] {
  return Array.from(values.keys())
    .sort((a, b) => values[b]! - values[a]! || a - b)
    .slice(0, k);
}

export class SelfTrainingClassifier<X extends Features = Features> implements Classifier<X> {
  /** The fitted base classifier (a clone when the base has `clone`). */
  classifier: Classifier<X> | undefined;
  /** Labels used in the final fit: given ones plus pseudo-labels; -1 where still unlabeled. */
  transduction = new Int32Array(0);
  /** Iteration each row got its label: 0 given, k ≥ 1 pseudo-labeled in iteration k, -1 never. */
  labeledIter = new Int32Array(0);
  /** Top probability when a row was pseudo-labeled (1 for given labels, NaN never labeled). */
  labelConfidence = new Float64Array(0);
  nIter = 0;
  terminationCondition: TerminationCondition | undefined;
  /** Warnings scikit-learn would raise (no unlabeled rows, k_best too large, one class). */
  warnings: string[] = [];
  private readonly o: Required<Omit<SelfTrainingOptions, 'onIteration'>> &
    Pick<SelfTrainingOptions, 'onIteration'>;

  constructor(
    readonly base: Classifier<X>,
    options: SelfTrainingOptions = {},
  ) {
    const parsed = selfTrainingSchema.safeParse(options);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new LabelError(`SelfTrainingClassifier options: ${why}`);
    }
    this.o = {
      criterion: options.criterion ?? 'threshold',
      threshold: options.threshold ?? 0.75,
      kBest: options.kBest ?? 10,
      maxIter: options.maxIter === undefined ? 10 : options.maxIter,
      progress: options.progress ?? false,
      onIteration: options.onIteration,
    };
  }

  get classes(): readonly number[] {
    if (!this.classifier) throw new LabelError('SelfTrainingClassifier is not fitted: call fit(X, y) first');
    return this.classifier.classes;
  }

  async fit(X: X, y: ArrayLike<number | null>): Promise<this> {
    const n = nRows(X);
    if (y.length !== n)
      throw new LabelError(`SelfTrainingClassifier.fit: y has ${y.length} labels but X has ${n} rows`);
    const has = Uint8Array.from(Array.from(y), (v) => (isUnlabeled(v) ? 0 : 1));
    this.transduction = Int32Array.from(Array.from(y), (v) => (isUnlabeled(v) ? -1 : v!));
    this.labeledIter = Int32Array.from(has, (h) => (h ? 0 : -1));
    this.labelConfidence = Float64Array.from(has, (h) => (h ? 1 : Number.NaN));
    this.nIter = 0;
    this.terminationCondition = undefined;
    this.warnings = [];
    this.checkLabels(y, has);
    const clf = this.base.clone ? this.base.clone() : this.base;
    this.classifier = clf;
    const count = () => has.reduce((a, b) => a + b, 0);
    const { maxIter } = this.o;
    const bar = new ProgressBar({
      total: maxIter ?? undefined,
      label: 'self-training',
      unit: 'iter',
      silent: !this.o.progress,
    });
    while (count() < n && (maxIter === null || this.nIter < maxIter)) {
      this.nIter++;
      await this.fitOn(clf, X, has);
      const unl = Array.from(has.keys()).filter((i) => !has[i]);
      const P: Matrix = await clf.predictProba(takeRows(X, unl));
      const { label, proba } = argmaxClasses(P, clf.classes);
      const selected = this.select(proba);
      for (const s of selected) {
        const i = unl[s]!;
        this.transduction[i] = label[s]!;
        this.labelConfidence[i] = proba[s]!;
        has[i] = 1;
        this.labeledIter[i] = this.nIter;
      }
      bar.update(1, { added: selected.length, labeled: count() });
      await this.o.onIteration?.({
        iteration: this.nIter,
        added: selected.length,
        labeled: count(),
        classifier: clf as Classifier<never>,
      });
      if (selected.length === 0) {
        this.terminationCondition = 'no_change';
        break;
      }
    }
    if (this.nIter === maxIter) this.terminationCondition = 'max_iter';
    if (count() === n) this.terminationCondition = 'all_labeled';
    if (this.nIter !== maxIter) bar.done();
    await this.fitOn(clf, X, has);
    return this;
  }

  private async fitOn(clf: Classifier<X>, X: X, has: Uint8Array): Promise<void> {
    const idx = Array.from(has.keys()).filter((i) => has[i]);
    await clf.fit(
      takeRows(X, idx),
      Int32Array.from(idx, (i) => this.transduction[i]!),
    );
  }

  /** Positions (into the unlabeled rows) to pseudo-label. */
  private select(proba: Float64Array): number[] {
    if (this.o.criterion === 'threshold')
      return Array.from(proba.keys()).filter((i) => proba[i]! > this.o.threshold);
    return proba.length <= this.o.kBest ? Array.from(proba.keys()) : topK(proba, this.o.kBest);
  }

  private checkLabels(y: ArrayLike<number | null>, has: Uint8Array): void {
    const labeled = has.reduce((a, b) => a + b, 0);
    if (labeled === 0)
      throw new LabelError(
        'SelfTrainingClassifier.fit: y has no labeled rows; label some rows first (pnpm label import)',
      );
    for (let i = 0; i < y.length; i++) {
      if (has[i] && !Number.isInteger(y[i]))
        throw new LabelError(
          `SelfTrainingClassifier.fit: label ${y[i]} at row ${i} is not an integer class (or -1 / null for unlabeled)`,
        );
    }
    if (labeled === y.length) this.warnings.push('y contains no unlabeled samples');
    if (this.o.criterion === 'k_best' && this.o.kBest > y.length - labeled) {
      this.warnings.push(
        'k_best is larger than the amount of unlabeled samples. All unlabeled samples will be labeled in the first iteration',
      );
    }
    if (new Set(Array.from(this.transduction).filter((v) => v >= 0)).size === 1) {
      this.warnings.push('only one class is labeled: every pseudo-label will be that class');
    }
  }

  predictProba(X: X): Promise<Matrix> | Matrix {
    if (!this.classifier) throw new LabelError('SelfTrainingClassifier is not fitted: call fit(X, y) first');
    return this.classifier.predictProba(X);
  }

  dispose(): void {
    this.classifier?.dispose?.();
  }
}
