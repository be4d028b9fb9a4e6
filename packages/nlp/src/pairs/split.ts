/**
 * Train/val/test by a hash of the normalized source: SHA-1 of `seed \0 key`, its first 32 bits
 * as a fraction in [0, 1), cut at the ratios. The same source always lands in the same split (no
 * leakage, whatever the order or the other pairs), and another seed gives another split.
 *
 *   splitOf(dedupKey('Cannot open file <arg>'));        // 'train' (90% of keys), 'val' or 'test'
 *   splitOf('x', { train: 0.8, val: 0.1, test: 0.1 }, 7);
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { normalizeSpace } from './clean-pair.js';

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

/** Fractions of the splits; they must sum to 1. Default 0.9 / 0.05 / 0.05. */
export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

export const DEFAULT_SPLIT_RATIOS: SplitRatios = { train: 0.9, val: 0.05, test: 0.05 };

export const splitRatiosSchema = z
  .object({ train: z.number().min(0).max(1), val: z.number().min(0).max(1), test: z.number().min(0).max(1) })
  .refine((r) => Math.abs(r.train + r.val + r.test - 1) < 1e-9, {
    message: 'train + val + test must be 1',
  });

/** The key a source is deduplicated and split on: whitespace collapsed, lowercased. */
export function dedupKey(src: string): string {
  return normalizeSpace(src).toLowerCase();
}

/** A stable fraction in [0, 1) for `key`. */
export function hashFraction(key: string, seed = 0): number {
  const digest = createHash('sha1').update(`${seed}\0${key}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32;
}

/** The split of a key. */
export function splitOf(key: string, ratios: SplitRatios = DEFAULT_SPLIT_RATIOS, seed = 0): Split {
  const u = hashFraction(key, seed);
  if (u < ratios.train) return 'train';
  return u < ratios.train + ratios.val ? 'val' : 'test';
}
