/**
 * Precision–recall curves of a COCO evaluation, read from `cocoEvaluate`'s accumulated precision
 * ([T, R, K, A, M]; area 'all', 100 detections): one curve per class at IoU 0.5 over COCO's 101
 * recall thresholds, the mean over classes at IoU 0.5 (its area = AP50) and the mean over classes
 * and IoU .50:.95 (its area = AP), and the chart `vision val` writes as pr-curves.png.
 *
 *   const curves = prCurves(cocoEvaluate(gt, dets));
 *   curves.perClass[0].precision[50];   // precision at recall 0.5 for the first class
 *   writeFigure(plotPrCurves(curves, { title: 'tinyssd on bananas' }), 'runs/ssd/val/pr-curves.png');
 */
import { type LineSeries, lineChart } from '@dlpipe/plot';
import { DetectionError } from '../boxes/errors.js';
import { index5 } from '../eval/accumulate.js';
import type { CocoEvalResult } from '../eval/coco-evaluate.js';

/** One precision value per recall threshold, and the curve's mean (its AP). */
export interface PrCurve {
  name: string;
  precision: number[];
  ap: number;
}

export interface PrCurves {
  /** COCO's recall thresholds 0, 0.01, …, 1. */
  recall: number[];
  /** Classes with ground truth, at IoU 0.5. */
  perClass: (PrCurve & { categoryId: number })[];
  /** Mean over those classes at IoU 0.5 (area = AP50). */
  mean50: PrCurve;
  /** Mean over classes and IoU thresholds .50:.95 (area = AP). */
  mean: PrCurve;
}

/** Mean of the entries > -1 (pycocotools' convention for "no ground truth"), -1 when none. */
function meanValid(values: number[]): number {
  const ok = values.filter((v) => v > -1);
  return ok.length === 0 ? -1 : ok.reduce((s, v) => s + v, 0) / ok.length;
}

/** The curves of `result` (maxDets 100, or the largest evaluated). */
export function prCurves(result: CocoEvalResult): PrCurves {
  const { dims, precision, params } = result;
  const a = Math.max(
    0,
    params.areaRng.findIndex((r) => r.label === 'all'),
  );
  const m100 = params.maxDets.indexOf(100);
  const m = m100 >= 0 ? m100 : dims.M - 1;
  const t50 = Math.max(
    0,
    params.iouThrs.findIndex((v) => Math.abs(v - 0.5) < 1e-9),
  );
  const R = Array.from({ length: dims.R }, (_, r) => r);
  const K = Array.from({ length: dims.K }, (_, k) => k);
  const T = Array.from({ length: dims.T }, (_, t) => t);
  const at = (t: number, r: number, k: number) => precision[index5(dims, t, r, k, a, m)]!;
  const curve = (name: string, p: number[]): PrCurve => ({ name, precision: p, ap: meanValid(p) });
  const names = new Map(result.perClass.map((c) => [c.categoryId, c.name]));
  const perClass = K.filter((k) => at(t50, 0, k) > -1).map((k) => {
    const categoryId = params.catIds[k]!;
    return {
      categoryId,
      ...curve(
        names.get(categoryId) ?? String(categoryId),
        R.map((r) => at(t50, r, k)),
      ),
    };
  });
  return {
    recall: [...params.recThrs],
    perClass,
    mean50: curve(
      'mean @ IoU 0.5',
      R.map((r) => meanValid(K.map((k) => at(t50, r, k)))),
    ),
    mean: curve(
      'mean @ IoU .50:.95',
      R.map((r) => meanValid(T.flatMap((t) => K.map((k) => at(t, r, k))))),
    ),
  };
}

export interface PrCurvesPlotOptions {
  title?: string;
  /** Most per-class curves drawn (the rest are still in the means). Default 10. */
  maxClasses?: number;
}

/** Per-class curves (thin) and the two means (thick; dashed for .50:.95) on [0, 1]², as SVG. */
export function plotPrCurves(curves: PrCurves, o: PrCurvesPlotOptions = {}): string {
  const x = curves.recall;
  const label = (c: PrCurve) => `${c.name} (AP ${c.ap > -1 ? c.ap.toFixed(3) : 'n/a'})`;
  const series: LineSeries[] = curves.perClass
    .slice(0, o.maxClasses ?? 10)
    .map((c) => ({ name: label(c), x, y: c.precision, lineWidth: 1.25 }));
  series.push(
    { name: label(curves.mean50), x, y: curves.mean50.precision.map(noGt), color: '#000000', lineWidth: 2.5 },
    {
      name: label(curves.mean),
      x,
      y: curves.mean.precision.map(noGt),
      color: '#000000',
      dashed: true,
      lineWidth: 2,
    },
  );
  const drawn = series.filter((s) => s.y.some(Number.isFinite));
  if (drawn.length === 0)
    throw new DetectionError('plotPrCurves: no class has ground truth, so there is no curve to draw');
  return lineChart({
    series: drawn,
    title: o.title ?? 'Precision–recall',
    xLabel: 'recall',
    yLabel: 'precision',
    xDomain: [0, 1],
    yDomain: [0, 1],
    width: 640,
    height: 480,
    legend: 'best',
  });
}

/** -1 (no ground truth anywhere) is not drawn. */
const noGt = (v: number) => (v > -1 ? v : Number.NaN);
