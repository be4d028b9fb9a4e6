/**
 * A synthetic translation task in the pair files' shape, for tests of seq2seq models: random
 * token sequences (seeded) whose target is the source copied, or reversed. A model that cannot
 * learn these has a bug, not a data problem.
 *
 *   syntheticPairs({ task: 'reverse', numPairs: 3, seed: 1 });
 *   // [{ src: 'c a f', tgt: 'f a c', srcTok: 'c a f', tgtTok: 'f a c', package: 'synthetic-reverse' }, …]
 */
import { OptionsError, Rng } from '@dlpipe/core';
import { z } from 'zod';
import type { PairRecord } from './dedup-pairs.js';
import type { SyntheticTask } from './pairs-tsv.js';
import { DEFAULT_SPLIT_RATIOS, dedupKey, type Split, type SplitRatios, splitOf } from './split.js';

export interface SyntheticPairsOptions {
  /** 'copy' (target = source) or 'reverse' (target = source reversed). */
  task: SyntheticTask;
  /** How many pairs. */
  numPairs: number;
  /** Distinct tokens: a…z up to 26, w0…w(n-1) beyond. Default 10. */
  vocabSize?: number;
  /** Fewest tokens a sequence. Default 2. */
  minLen?: number;
  /** Most tokens a sequence. Default 8. */
  maxLen?: number;
  /** Seed of the generator. Default 0. */
  seed?: number;
}

export const syntheticPairsSchema = z
  .object({
    task: z.enum(['copy', 'reverse']),
    numPairs: z.number().int().min(0),
    vocabSize: z.number().int().min(1).default(10),
    minLen: z.number().int().min(1).default(2),
    maxLen: z.number().int().min(1).default(8),
    seed: z.number().int().default(0),
  })
  .refine((o) => o.minLen <= o.maxLen, { message: 'minLen must be at most maxLen' });

/** The token names of a vocabulary of `n`. */
export function syntheticVocab(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (n <= 26 ? String.fromCharCode(97 + i) : `w${i}`));
}

/** `numPairs` random pairs of the task. */
export function syntheticPairs(options: SyntheticPairsOptions): PairRecord[] {
  const parsed = syntheticPairsSchema.safeParse(options);
  if (!parsed.success)
    throw new OptionsError(`syntheticPairs: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const o = parsed.data;
  const vocab = syntheticVocab(o.vocabSize);
  const rng = new Rng(o.seed);
  return Array.from({ length: o.numPairs }, () => {
    const len = o.minLen + rng.int(o.maxLen - o.minLen + 1);
    const tokens = Array.from({ length: len }, () => vocab[rng.int(vocab.length)] as string);
    const src = tokens.join(' ');
    const tgt = (o.task === 'copy' ? tokens : [...tokens].reverse()).join(' ');
    return { src, tgt, srcTok: src, tgtTok: tgt, package: `synthetic-${o.task}` };
  });
}

/** Synthetic pairs split by the hash of their source, as real pairs are (duplicates kept once). */
export function syntheticSplits(
  options: SyntheticPairsOptions,
  ratios: SplitRatios = DEFAULT_SPLIT_RATIOS,
): Record<Split, PairRecord[]> {
  const out: Record<Split, PairRecord[]> = { train: [], val: [], test: [] };
  const seen = new Set<string>();
  for (const r of syntheticPairs(options)) {
    const key = dedupKey(r.src);
    if (seen.has(key)) continue;
    seen.add(key);
    out[splitOf(key, ratios, options.seed ?? 0)].push(r);
  }
  return out;
}
