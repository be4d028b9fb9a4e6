/**
 * BLEU from its sufficient statistics, as sacreBLEU's `BLEU.compute_bleu`: clipped n-gram matches
 * and n-gram totals per order, system and reference lengths → precisions (with `exp`, `floor`,
 * `add-k` or no smoothing), brevity penalty and the geometric mean, on sacreBLEU's 0–100 scale.
 *
 *   computeBleu({ correct: [3, 1, 0, 0], total: [4, 3, 2, 1], sysLen: 4, refLen: 4 }, resolveBleuOptions());
 *   // { score: 35.355…, precisions: [75, 33.33…, 25, 25], bp: 1, … }  (exp smoothing: 100/(2·2), 100/(4·1))
 */
import type { ResolvedBleuOptions } from './bleu-options.js';

/** The sums BLEU is computed from (sacreBLEU's segment statistics, added over segments). */
export interface BleuStats {
  /** Clipped n-gram matches per order (1-grams first). */
  correct: number[];
  /** Hypothesis n-grams per order. */
  total: number[];
  /** Hypothesis tokens. */
  sysLen: number;
  /** Closest reference tokens (the shorter one on a tie). */
  refLen: number;
}

/** A BLEU score with what it came from (sacreBLEU's `BLEUScore`). */
export interface BleuScore {
  /** 0–100. */
  score: number;
  /** Clipped n-gram matches per order, without add-k's additions (sacreBLEU adds k to its copy). */
  counts: number[];
  /** Hypothesis n-grams per order, without add-k's additions. */
  totals: number[];
  /** Smoothed n-gram precisions, 0–100 (0 past the last order with hypothesis n-grams). */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  sysLen: number;
  refLen: number;
  /** sysLen / refLen (0 when refLen is 0). */
  ratio: number;
}

/** sacreBLEU's `my_log`: log, with log(0) floored to −9999999999. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/** The precisions (0–100) and how many orders enter the mean; sacreBLEU's loop over orders. */
function precisionsOf(stats: BleuStats, o: ResolvedBleuOptions): { precisions: number[]; order: number } {
  const n = o.maxNgramOrder;
  const precisions = new Array<number>(n).fill(0);
  const k = o.smoothValue ?? 0;
  let smoothMteval = 1;
  let order = n;
  for (let i = 0; i < n; i++) {
    const add = o.smoothMethod === 'add-k' && i > 0 ? k : 0;
    const correct = (stats.correct[i] ?? 0) + add;
    const total = (stats.total[i] ?? 0) + add;
    if (total === 0) break;
    if (o.effectiveOrder) order = i + 1;
    if (correct === 0) {
      if (o.smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[i] = 100 / (smoothMteval * total);
      } else if (o.smoothMethod === 'floor') precisions[i] = (100 * k) / total;
    } else precisions[i] = (100 * correct) / total;
  }
  return { precisions, order };
}

/** BLEU from summed statistics, as `BLEU.compute_bleu` (no matches at all: 0, with bp still given). */
export function computeBleu(stats: BleuStats, o: ResolvedBleuOptions): BleuScore {
  const { sysLen, refLen } = stats;
  let bp = 1;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0;
  const base = {
    counts: [...stats.correct],
    totals: [...stats.total],
    bp,
    sysLen,
    refLen,
    ratio: refLen ? sysLen / refLen : 0,
  };
  if (!stats.correct.some((c) => c !== 0)) {
    return { score: 0, precisions: new Array<number>(o.maxNgramOrder).fill(0), ...base };
  }
  const { precisions, order } = precisionsOf(stats, o);
  let sum = 0;
  for (const p of precisions.slice(0, order)) sum += myLog(p);
  return { score: bp * Math.exp(sum / order), precisions, ...base };
}
