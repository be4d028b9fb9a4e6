/**
 * Naive Bayes for text, the model of natural's `BayesClassifier`: word-presence features (a word
 * counts once per document), Laplace smoothing, and natural's counts (a class holds one extra
 * document, a word seen in n documents of a class counts n + smoothing, an unseen one smoothing).
 * Scores are summed in log space and normalized with log-sum-exp, so long documents do not
 * underflow to 0 as natural's product does. A document is a text (natural's classifier features:
 * lowercased, stop words dropped, Porter-stemmed) or a token list used as it is.
 *
 *   const nb = new NaiveBayesText().fit(['great movie', 'awful plot'], [1, 0]);
 *   nb.predictProba(['a great plot']);      // { data: [P(0), P(1)], shape: [1, 2] }
 *   new NaiveBayesText<string[]>().fit([['great', 'phone'], ['awful']], [1, 0]).predict([['great']]); // [1]
 */
import { InvalidArgumentError, OptionsError, zodMessage } from '@dlpipe/core';
import { z } from 'zod';
import { naturalTokenizeAndStem } from './natural.js';

export interface NaiveBayesTextOptions {
  /** Laplace smoothing: the count of a word a class never saw. Default 1. */
  smoothing?: number;
}

export const naiveBayesTextSchema = z.strictObject({ smoothing: z.number().positive().finite().optional() });

/** A text (tokenized and stemmed as natural's classifiers do) or a token list (used as is). */
export type NaiveBayesDoc = string | readonly string[];

/** What one class learned: its non-empty documents and, per word, how many of them hold it. */
interface ClassCounts {
  docs: number;
  words: Map<string, number>;
}

/** Naive Bayes over documents of type `D`: texts (the default) or token lists. */
export class NaiveBayesText<D extends NaiveBayesDoc = string> {
  /** The sorted labels seen in the last fit; probability columns follow it. */
  classes: number[] = [];
  private readonly smoothing: number;
  private counts: ClassCounts[] = [];
  private vocab = new Set<string>();
  private totalDocs = 0;

  constructor(readonly options: NaiveBayesTextOptions = {}) {
    const r = naiveBayesTextSchema.safeParse(options);
    if (!r.success) throw new OptionsError(zodMessage('NaiveBayesText options', r.error));
    this.smoothing = r.data.smoothing ?? 1;
  }

  /** A fresh, unfitted copy with the same options. */
  clone(): NaiveBayesText<D> {
    return new NaiveBayesText<D>(this.options);
  }

  /** Learns from documents and their integer labels (empty documents are skipped, as natural does). */
  fit(X: readonly D[], y: ArrayLike<number>): this {
    checkDocsLabels(X, y);
    this.classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
    const index = new Map(this.classes.map((c, i) => [c, i]));
    this.counts = this.classes.map(() => ({ docs: 0, words: new Map() }));
    this.vocab = new Set();
    this.totalDocs = 0;
    X.forEach((doc, i) => {
      const words = wordSet(doc);
      if (words.size === 0) return;
      const c = this.counts[index.get(y[i]!)!]!;
      c.docs++;
      this.totalDocs++;
      for (const w of words) {
        this.vocab.add(w);
        c.words.set(w, (c.words.get(w) ?? 0) + 1);
      }
    });
    return this;
  }

  /** log P(class) + Σ log P(word | class) over the known words of `doc`, one per class. */
  logScores(doc: D): number[] {
    if (this.classes.length === 0) {
      throw new InvalidArgumentError('NaiveBayesText is not fitted: call fit(docs, y) first.');
    }
    const words = [...wordSet(doc)].filter((w) => this.vocab.has(w));
    return this.counts.map((c) => {
      const total = c.docs + 1; // natural gives each class one extra document
      let s = Math.log(total / (this.totalDocs + 1));
      for (const w of words) {
        const n = c.words.get(w) ?? 0;
        s += Math.log((n > 0 ? n + this.smoothing : this.smoothing) / total);
      }
      return s;
    });
  }

  /** [n, classes.length] class probabilities, rows summing to 1. */
  predictProba(X: readonly D[]): { data: Float64Array; shape: [number, number] } {
    const k = this.classes.length;
    const data = new Float64Array(X.length * k);
    X.forEach((doc, i) => {
      const s = this.logScores(doc);
      const m = Math.max(...s);
      const z = s.reduce((a, v) => a + Math.exp(v - m), 0);
      s.forEach((v, j) => {
        data[i * k + j] = Math.exp(v - m) / z;
      });
    });
    return { data, shape: [X.length, k] };
  }

  /** The most probable label of each document (ties: the smallest label). */
  predict(X: readonly D[]): number[] {
    return X.map((doc) => {
      const s = this.logScores(doc);
      return this.classes[s.indexOf(Math.max(...s))]!;
    });
  }
}

/** The distinct words of a document; a missing one (a null table cell) has none. */
function wordSet(doc: NaiveBayesDoc | null | undefined): Set<string> {
  return new Set(typeof doc === 'string' ? naturalTokenizeAndStem(doc) : (doc ?? []));
}

function checkDocsLabels(X: readonly NaiveBayesDoc[], y: ArrayLike<number>): void {
  if (X.length !== y.length || X.length === 0) {
    throw new InvalidArgumentError(
      `NaiveBayesText.fit: needs one integer label per document; received ${X.length} documents and ${y.length} labels.`,
    );
  }
  for (let i = 0; i < y.length; i++) {
    if (!Number.isInteger(y[i])) {
      throw new InvalidArgumentError(
        `NaiveBayesText.fit: label ${y[i]} of document ${i} is not an integer class; encode labels as 0, 1, ….`,
      );
    }
  }
}
