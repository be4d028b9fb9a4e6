/**
 * TF-IDF text features with scikit-learn's `TfidfVectorizer` defaults: lowercase, tokens of 2+
 * word characters (or any `tokenize` options: stems, characters), n-grams, min/max document
 * frequency, maxFeatures, smooth idf = ln((1+n)/(1+df)) + 1, rows L2-normalized; the vocabulary
 * sorted alphabetically. Output: a dense row-major matrix.
 *
 *   const tv = new TfidfVectorizer({ minDf: 2 }); const { data, shape } = tv.fitTransform(texts);
 */
import { OptionsError } from '@dlpipe/core';
import { TransformError } from '../errors.js';
import { makeTokenizer, type TokenizeOptions } from '../text/tokenize.js';
import type { TransformState } from '../transforms/transformer.js';

export interface TfidfOptions {
  /** Default true. */
  lowercase?: boolean;
  /** Use dlpipe's tokenizer with these options instead of scikit-learn's token pattern. */
  tokenize?: TokenizeOptions;
  /** [min, max] n-gram sizes. Default [1, 1]. */
  ngramRange?: [number, number];
  /** Ignore terms in fewer documents (an integer count, or a proportion in (0, 1)). Default 1. */
  minDf?: number;
  /** Ignore terms in more documents (count or proportion). Default 1.0 (none ignored). */
  maxDf?: number;
  /** Keep the most frequent terms only. */
  maxFeatures?: number;
  /** Words to drop. */
  stopWords?: string[];
  /** Default 'l2'. */
  norm?: 'l1' | 'l2' | null;
  /** 1 + ln(tf) instead of tf. Default false. */
  sublinearTf?: boolean;
  /** Default true. */
  smoothIdf?: boolean;
}

export interface DenseMatrix {
  data: Float32Array;
  shape: [number, number];
}

const TOKEN = /[\p{L}\p{N}\p{M}_]{2,}/gu;

export class TfidfVectorizer {
  readonly kind = 'TfidfVectorizer';
  vocabulary: string[] = [];
  idf: number[] = [];
  private index = new Map<string, number>();
  private readonly tok: (t: string) => string[];

  constructor(readonly config: TfidfOptions = {}) {
    const [lo, hi] = config.ngramRange ?? [1, 1];
    if (!(lo >= 1 && hi >= lo))
      throw new OptionsError(`ngramRange must be [min, max] with 1 <= min <= max, got [${lo}, ${hi}]`);
    const base = config.tokenize
      ? makeTokenizer(config.tokenize)
      : (t: string) => (config.lowercase === false ? t : t.toLowerCase()).match(TOKEN) ?? [];
    const stops = new Set(config.stopWords ?? []);
    this.tok = (t) =>
      ngrams(
        base(t).filter((w) => !stops.has(w)),
        lo,
        hi,
      );
  }

  /** Terms of a document (n-grams joined by spaces). */
  analyze(text: string): string[] {
    return this.tok(text);
  }

  fit(texts: ArrayLike<string | null>): this {
    const n = texts.length;
    const df = new Map<string, number>();
    const tf = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const terms = this.tok(texts[i] ?? '');
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
    }
    const minDf =
      this.config.minDf === undefined ? 1 : this.config.minDf < 1 ? this.config.minDf * n : this.config.minDf;
    const maxDf =
      this.config.maxDf === undefined
        ? n
        : this.config.maxDf <= 1
          ? this.config.maxDf * n
          : this.config.maxDf;
    let terms = [...df.keys()].filter((t) => df.get(t)! >= minDf && df.get(t)! <= maxDf);
    if (terms.length === 0) {
      throw new TransformError(
        `TfidfVectorizer: no terms remain after minDf/maxDf over ${n} documents; lower minDf or raise maxDf`,
      );
    }
    if (this.config.maxFeatures !== undefined) {
      terms = terms
        .sort((a, b) => tf.get(b)! - tf.get(a)! || (a < b ? -1 : 1))
        .slice(0, this.config.maxFeatures);
    }
    this.vocabulary = terms.sort();
    this.index = new Map(this.vocabulary.map((t, i) => [t, i]));
    const smooth = this.config.smoothIdf === false ? 0 : 1;
    this.idf = this.vocabulary.map((t) => Math.log((n + smooth) / (df.get(t)! + smooth)) + 1);
    return this;
  }

  transform(texts: ArrayLike<string | null>): DenseMatrix {
    if (this.vocabulary.length === 0)
      throw new TransformError('TfidfVectorizer is not fitted: call fit(texts) first');
    const d = this.vocabulary.length;
    const data = new Float32Array(texts.length * d);
    const row = new Float64Array(d);
    for (let i = 0; i < texts.length; i++) {
      row.fill(0);
      for (const t of this.tok(texts[i] ?? '')) {
        const k = this.index.get(t);
        if (k !== undefined) row[k]! += 1;
      }
      let norm = 0;
      for (let k = 0; k < d; k++) {
        if (row[k] === 0) continue;
        const tf = this.config.sublinearTf ? 1 + Math.log(row[k]!) : row[k]!;
        row[k] = tf * this.idf[k]!;
        norm += this.config.norm === 'l1' ? Math.abs(row[k]!) : row[k]! ** 2;
      }
      const scale =
        this.config.norm === null || norm === 0 ? 1 : this.config.norm === 'l1' ? norm : Math.sqrt(norm);
      for (let k = 0; k < d; k++) data[i * d + k] = row[k]! / scale;
    }
    return { data, shape: [texts.length, d] };
  }

  fitTransform(texts: ArrayLike<string | null>): DenseMatrix {
    return this.fit(texts).transform(texts);
  }

  toJSON(): TransformState {
    return {
      kind: this.kind,
      version: 1,
      config: this.config,
      state: { vocabulary: this.vocabulary, idf: this.idf },
    };
  }

  setState(state: { vocabulary: string[]; idf: number[] }): this {
    this.vocabulary = state.vocabulary;
    this.idf = state.idf;
    this.index = new Map(this.vocabulary.map((t, i) => [t, i]));
    return this;
  }
}

/** All n-grams of sizes lo..hi, joined by spaces (scikit-learn's order: by size, then position). */
export function ngrams(tokens: string[], lo: number, hi: number): string[] {
  if (lo === 1 && hi === 1) return tokens;
  const out: string[] = [];
  for (let n = lo; n <= hi; n++) {
    for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  }
  return out;
}
