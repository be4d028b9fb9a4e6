/**
 * Naive Bayes for text on natural's `BayesClassifier` (Porter-stemmed word-presence features,
 * Laplace smoothing). natural multiplies likelihoods and underflows to 0 on long documents, so
 * `predictProba` redoes its sum in log space from the fitted counts and normalizes with
 * log-sum-exp: the same model, probabilities that sum to 1.
 *
 *   const nb = new NaiveBayesText();
 *   await nb.fit(['great movie', 'awful plot'], [1, 0]);  nb.predictProba(['a great plot']);
 */
import { type NaturalBayes, naturalBayes } from '@dlpipe/data';
import { LabelError } from '../errors.js';
import { type Classifier, checkXy, type Matrix, singleClassProba, uniqueLabels } from './classifier.js';

export interface NaiveBayesTextOptions {
  /** Laplace smoothing. Default 1. */
  smoothing?: number;
}

export class NaiveBayesText implements Classifier<readonly string[]> {
  classes: number[] = [];
  private nb: NaturalBayes | undefined;

  constructor(readonly options: NaiveBayesTextOptions = {}) {}

  clone(): NaiveBayesText {
    return new NaiveBayesText(this.options);
  }

  fit(X: readonly string[], y: ArrayLike<number>): this {
    checkXy(X, y, 'NaiveBayesText.fit');
    this.classes = uniqueLabels(y);
    this.nb = naturalBayes(this.options.smoothing);
    X.forEach((doc, i) => {
      this.nb!.addDocument(doc ?? '', String(y[i]));
    });
    this.nb.train();
    return this;
  }

  /** log P(class) + Σ log P(feature | class) over the features present, as natural computes it. */
  private logScores(doc: string): number[] {
    const c = this.nb!.classifier;
    const features = this.nb!.textToFeatures(doc);
    return this.classes.map((label) => {
      const key = String(label);
      const counts = c.classFeatures[key] ?? {};
      const total = c.classTotals[key] ?? 1;
      let s = Math.log(total / c.totalExamples);
      features.forEach((present, j) => {
        if (present) s += Math.log((counts[j] ?? c.smoothing) / total);
      });
      return s;
    });
  }

  predictProba(X: readonly string[]): Matrix {
    if (!this.nb) throw new LabelError('NaiveBayesText is not fitted: call fit(texts, y) first');
    const k = this.classes.length;
    if (k === 1) return singleClassProba(X.length);
    const data = new Float64Array(X.length * k);
    X.forEach((doc, i) => {
      const s = this.logScores(doc ?? '');
      const m = Math.max(...s);
      const z = s.reduce((a, v) => a + Math.exp(v - m), 0);
      s.forEach((v, j) => {
        data[i * k + j] = Math.exp(v - m) / z;
      });
    });
    return { data, shape: [X.length, k] };
  }
}
