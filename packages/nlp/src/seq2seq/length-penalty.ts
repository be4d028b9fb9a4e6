/**
 * GNMT's length penalty (Wu et al. 2016, §7): lp(Y) = ((5 + |Y|) / 6)^α, by which beam search
 * divides a hypothesis' log-probability so longer translations are not crowded out by short
 * ones. α = 0 gives 1 (plain log-probability); GNMT used α ∈ [0.6, 0.7].
 *
 *   gnmtLengthPenalty(4, 0.75);   // (9/6)^0.75 ≈ 1.3554
 */
import { OptionsError } from '@dlpipe/core';

/** ((5 + length) / 6)^alpha, for a hypothesis of `length` generated tokens (its `<eos>` included). */
export function gnmtLengthPenalty(length: number, alpha: number): number {
  if (!(length >= 0 && alpha >= 0)) {
    throw new OptionsError(`gnmtLengthPenalty: length and alpha must be ≥ 0, got ${length} and ${alpha}.`);
  }
  return ((5 + length) / 6) ** alpha;
}
