/**
 * COCOeval's `accumulate`: for each category × area range × maxDets, the detections of all images
 * sorted by score (stable, image order breaking ties), cumulative TP/FP per IoU threshold, the
 * precision made monotone (its envelope from the right) and read at 101 recall thresholds.
 * Precision and recall are -1 where a category has no (non-ignored) GT in that area range.
 *
 *   const acc = accumulate(evalImgs, params, K, I);
 *   acc.precision[index5(acc.dims, t, r, k, a, m)];
 */
import type { CocoEvalParams } from './coco-params.js';
import { type ImageEval, stableArgsort } from './evaluate-image.js';

/** numpy's `np.spacing(1)`: the gap after 1.0. */
const EPS = 2.220446049250313e-16;

/** Sizes of the accumulated arrays: IoU thresholds, recall thresholds, categories, areas, maxDets. */
export interface CocoEvalDims {
  T: number;
  R: number;
  K: number;
  A: number;
  M: number;
}

export interface Accumulated {
  dims: CocoEvalDims;
  /** [T, R, K, A, M] row-major; -1 where there is no GT. */
  precision: Float64Array;
  /** [T, K, A, M] row-major; -1 where there is no GT. */
  recall: Float64Array;
  /** [T, R, K, A, M]: the score at which each precision point is reached (0 past the last). */
  scores: Float64Array;
}

/** Flat index into precision/scores ([T, R, K, A, M]). */
export function index5(s: CocoEvalDims, t: number, r: number, k: number, a: number, m: number): number {
  return (((t * s.R + r) * s.K + k) * s.A + a) * s.M + m;
}

/** Flat index into recall ([T, K, A, M]). */
export function index4(s: CocoEvalDims, t: number, k: number, a: number, m: number): number {
  return ((t * s.K + k) * s.A + a) * s.M + m;
}

/** `evalImgs` is indexed `(k * A + a) * I + i`, as pycocotools' list. */
export function accumulate(
  evalImgs: readonly (ImageEval | null)[],
  p: CocoEvalParams,
  K: number,
  I: number,
): Accumulated {
  const dims: CocoEvalDims = {
    T: p.iouThrs.length,
    R: p.recThrs.length,
    K,
    A: p.areaRng.length,
    M: p.maxDets.length,
  };
  const { T, R, A, M } = dims;
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const scores = new Float64Array(T * R * K * A * M).fill(-1);
  for (let k = 0; k < K; k++) {
    for (let a = 0; a < A; a++) {
      const E: ImageEval[] = [];
      for (let i = 0; i < I; i++) {
        const e = evalImgs[(k * A + a) * I + i];
        if (e) E.push(e);
      }
      if (E.length === 0) continue;
      let npig = 0;
      for (const e of E) for (const g of e.gtIgnore) if (g === 0) npig++;
      if (npig === 0) continue;
      for (let m = 0; m < M; m++) {
        const cut = columns(E, p.maxDets[m]!);
        const order = stableArgsort(cut.scores.length, (j) => -cut.scores[j]!);
        const sortedScores = order.map((j) => cut.scores[j]!);
        for (let t = 0; t < T; t++) {
          const { rc, pr } = curve(cut, order, t, npig);
          const nd = rc.length;
          recall[index4(dims, t, k, a, m)] = nd ? rc[nd - 1]! : 0;
          for (let i = nd - 1; i > 0; i--) if (pr[i]! > pr[i - 1]!) pr[i - 1] = pr[i]!;
          let pi = 0;
          for (let r = 0; r < R; r++) {
            const thr = p.recThrs[r]!;
            while (pi < nd && rc[pi]! < thr) pi++; // searchsorted(rc, thr, side='left')
            const at = index5(dims, t, r, k, a, m);
            // pycocotools' try/except: past the last detection, precision and score stay 0
            precision[at] = pi < nd ? pr[pi]! : 0;
            scores[at] = pi < nd ? sortedScores[pi]! : 0;
          }
        }
      }
    }
  }
  return { dims, precision, recall, scores };
}

interface Columns {
  scores: number[];
  /** Per column: the image's arrays and the detection's index in them. */
  src: ImageEval[];
  col: number[];
}

/** The first `maxDet` detections of every image, concatenated in image order. */
function columns(E: readonly ImageEval[], maxDet: number): Columns {
  const out: Columns = { scores: [], src: [], col: [] };
  for (const e of E) {
    const n = Math.min(maxDet, e.dtScores.length);
    for (let d = 0; d < n; d++) {
      out.scores.push(e.dtScores[d]!);
      out.src.push(e);
      out.col.push(d);
    }
  }
  return out;
}

/** Recall and (raw) precision after each detection in score order, at threshold t. */
function curve(
  c: Columns,
  order: readonly number[],
  t: number,
  npig: number,
): { rc: number[]; pr: number[] } {
  const rc: number[] = [];
  const pr: number[] = [];
  let tp = 0;
  let fp = 0;
  for (const j of order) {
    const e = c.src[j]!;
    const D = e.dtScores.length;
    const at = t * D + c.col[j]!;
    if (!e.dtIgnore[at]) {
      if (e.dtMatched[at]) tp++;
      else fp++;
    }
    rc.push(tp / npig);
    pr.push(tp / (fp + tp + EPS));
  }
  return { rc, pr };
}
