/**
 * n-gram language models (n = 1…3) with add-k (Laplace for k = 1) or interpolated Kneser–Ney
 * smoothing, perplexity and sampling. Sentences are padded with n−1 `<s>` and one `</s>`; words
 * outside the training vocabulary count as `<unk>`.
 *
 *   const lm = NgramLM.train(sentences, { n: 3, smoothing: 'kneser-ney' });
 *   lm.perplexity(testSentences); lm.sample(new Rng(1), { prefix: ['the'] });
 */
import type { Rng } from '@dlpipe/core';
import { z } from 'zod';
import { ModelUseError } from '../errors.js';

export const BOS = '<s>';
export const EOS = '</s>';
export const NGRAM_UNK = '<unk>';

export interface NgramLMOptions {
  /** Order, 1…3. Default 3. */
  n?: number;
  /** Default 'kneser-ney'. */
  smoothing?: 'add-k' | 'kneser-ney';
  /** add-k's k. Default 1. */
  k?: number;
  /** Kneser–Ney's absolute discount. Default 0.75. */
  discount?: number;
}

export const ngramLMSchema = z.object({
  n: z.number().int().min(1).max(3).default(3),
  smoothing: z.enum(['add-k', 'kneser-ney']).default('kneser-ney'),
  k: z.number().positive().default(1),
  discount: z.number().gt(0).lt(1).default(0.75),
});

const SEP = '\u0001';

export class NgramLM {
  readonly o: z.output<typeof ngramLMSchema>;
  /** Predictable words: training words + </s> + <unk>. */
  readonly vocab: string[];
  private readonly vocabSet: Set<string>;
  /** counts[m]: m-gram (context + word) → count, m = 1…n. */
  private readonly counts: Map<string, number>[] = [];
  /** ctxTotals[m]: (m−1)-word context → Σ counts and → distinct followers. */
  private readonly ctxTotal: Map<string, number>[] = [];
  private readonly ctxTypes: Map<string, number>[] = [];
  /** Kneser–Ney continuation counts: contCount[m] ('• ctx w' distinct left words), contTotal[m] per context. */
  private readonly cont: Map<string, number>[] = [];
  private readonly contCtxTotal: Map<string, number>[] = [];
  private readonly contCtxTypes: Map<string, number>[] = [];

  private constructor(o: z.output<typeof ngramLMSchema>, vocab: string[]) {
    this.o = o;
    this.vocab = vocab;
    this.vocabSet = new Set(vocab);
    for (let m = 0; m <= o.n; m++) {
      this.counts.push(new Map());
      this.ctxTotal.push(new Map());
      this.ctxTypes.push(new Map());
      this.cont.push(new Map());
      this.contCtxTotal.push(new Map());
      this.contCtxTypes.push(new Map());
    }
  }

  static train(sentences: readonly (readonly string[])[], options: NgramLMOptions = {}): NgramLM {
    const o = ngramLMSchema.parse(options);
    const words = new Set<string>();
    for (const s of sentences) for (const w of s) words.add(w);
    words.delete(BOS);
    const lm = new NgramLM(o, [...words, EOS, NGRAM_UNK]);
    for (const s of sentences) lm.add(s);
    return lm;
  }

  private pad(sentence: readonly string[]): string[] {
    const map = (w: string) => (this.vocabSet.has(w) ? w : NGRAM_UNK);
    return [...Array(this.o.n - 1).fill(BOS), ...sentence.map(map), EOS];
  }

  private add(sentence: readonly string[]): void {
    const p = this.pad(sentence);
    for (let i = this.o.n - 1; i < p.length; i++) {
      for (let m = 1; m <= this.o.n; m++) {
        const gram = p.slice(i - m + 1, i + 1);
        const key = gram.join(SEP);
        const ctx = gram.slice(0, -1).join(SEP);
        const c = this.counts[m]!.get(key) ?? 0;
        this.counts[m]!.set(key, c + 1);
        this.ctxTotal[m]!.set(ctx, (this.ctxTotal[m]!.get(ctx) ?? 0) + 1);
        if (c === 0) {
          this.ctxTypes[m]!.set(ctx, (this.ctxTypes[m]!.get(ctx) ?? 0) + 1);
          if (m >= 2) this.addContinuation(gram.slice(1));
        }
      }
    }
  }

  /** A new m-gram type (x ctx w) adds one continuation to the (m−1)-gram (ctx w). */
  private addContinuation(lower: string[]): void {
    const lm = lower.length;
    const key = lower.join(SEP);
    const ctx = lower.slice(0, -1).join(SEP);
    const c = this.cont[lm]!.get(key) ?? 0;
    this.cont[lm]!.set(key, c + 1);
    this.contCtxTotal[lm]!.set(ctx, (this.contCtxTotal[lm]!.get(ctx) ?? 0) + 1);
    if (c === 0) this.contCtxTypes[lm]!.set(ctx, (this.contCtxTypes[lm]!.get(ctx) ?? 0) + 1);
  }

  /** P(word | context); the context's last n−1 words are used, short contexts padded with <s>. */
  prob(word: string, context: readonly string[] = []): number {
    const w = this.vocabSet.has(word) ? word : NGRAM_UNK;
    const known = context.map((c) => (c === BOS || this.vocabSet.has(c) ? c : NGRAM_UNK));
    const ctx = this.o.n === 1 ? [] : [...Array(this.o.n - 1).fill(BOS), ...known].slice(-(this.o.n - 1));
    return this.o.smoothing === 'add-k' ? this.addK(w, ctx) : this.kn(w, ctx, this.o.n);
  }

  private addK(w: string, ctx: string[]): number {
    const m = ctx.length + 1;
    const c = this.counts[m]!.get([...ctx, w].join(SEP)) ?? 0;
    const total = this.ctxTotal[m]!.get(ctx.join(SEP)) ?? 0;
    return (c + this.o.k) / (total + this.o.k * this.vocab.length);
  }

  /** Interpolated Kneser–Ney: highest order uses counts, lower orders continuation counts. */
  private kn(w: string, ctx: string[], m: number): number {
    const d = this.o.discount;
    const top = m === this.o.n;
    const counts = top ? this.counts[m]! : this.cont[m]!;
    const totals = top ? this.ctxTotal[m]! : this.contCtxTotal[m]!;
    const types = top ? this.ctxTypes[m]! : this.contCtxTypes[m]!;
    const c = ctx.slice(ctx.length - (m - 1));
    const key = c.join(SEP);
    const total = totals.get(key) ?? 0;
    const lower = m === 1 ? 1 / this.vocab.length : this.kn(w, ctx, m - 1);
    if (total === 0) return lower;
    const cw = counts.get([...c, w].join(SEP)) ?? 0;
    return Math.max(cw - d, 0) / total + ((d * (types.get(key) ?? 0)) / total) * lower;
  }

  /** exp of the mean negative log-probability of every word and </s> in `sentences`. */
  perplexity(sentences: readonly (readonly string[])[]): number {
    let nll = 0;
    let count = 0;
    for (const s of sentences) {
      const words = [...s, EOS];
      for (let i = 0; i < words.length; i++) {
        nll -= Math.log(this.prob(words[i]!, s.slice(0, i)));
        count++;
      }
    }
    if (count === 0) throw new ModelUseError('perplexity of an empty corpus: give at least one sentence.');
    return Math.exp(nll / count);
  }

  /** Samples one sentence (stops at </s> or maxLength), continuing `prefix`. */
  sample(rng: Rng, options: { prefix?: readonly string[]; maxLength?: number } = {}): string[] {
    const out = [...(options.prefix ?? [])];
    const max = options.maxLength ?? 50;
    const cand = this.vocab.filter((w) => w !== NGRAM_UNK);
    while (out.length < max) {
      const ps = cand.map((w) => this.prob(w, out));
      let u = rng.next() * ps.reduce((a, b) => a + b, 0);
      let i = 0;
      while (i < ps.length - 1 && u >= ps[i]!) u -= ps[i++]!;
      if (cand[i] === EOS) break;
      out.push(cand[i]!);
    }
    return out;
  }
}
