/**
 * Token-length statistics of pairs and their histogram (d2l §10.5's `show_list_len_pair_hist`):
 * the count of sources and of targets with each number of tokens, drawn as step lines on one
 * chart with `lineChart` (SVG; `writeFigure` adds the PNG).
 *
 *   const lengths = lengthStats(records);
 *   writeFigure(plotLengthHistogram(lengths, { tgtName: 'French' }), 'runs/pairs/lengths.png');
 */
import { lineChart } from '@dlpipe/plot';
import type { PairRecord } from './dedup-pairs.js';
import { pairTokenCount } from './pair-tokens.js';

/** Token counts of one side. */
export interface LengthSummary {
  min: number;
  max: number;
  mean: number;
  /** `histogram[n]`: how many sequences have n tokens. */
  histogram: number[];
}

export interface LengthStats {
  src: LengthSummary;
  tgt: LengthSummary;
}

function summarize(lengths: number[]): LengthSummary {
  if (lengths.length === 0) return { min: 0, max: 0, mean: 0, histogram: [] };
  const max = Math.max(...lengths);
  const histogram = new Array<number>(max + 1).fill(0);
  for (const n of lengths) histogram[n] = (histogram[n] ?? 0) + 1;
  const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
  return { min: Math.min(...lengths), max, mean: Math.round(mean * 1000) / 1000, histogram };
}

/** Token-length statistics of the source and target columns. */
export function lengthStats(records: readonly PairRecord[]): LengthStats {
  return {
    src: summarize(records.map((r) => pairTokenCount(r.srcTok))),
    tgt: summarize(records.map((r) => pairTokenCount(r.tgtTok))),
  };
}

/** The outline of a histogram as (x, y) points: a step up and down at each bin edge. */
function steps(histogram: readonly number[]): { x: number[]; y: number[] } {
  const x: number[] = [];
  const y: number[] = [];
  histogram.forEach((count, n) => {
    x.push(n - 0.5, n + 0.5);
    y.push(count, count);
  });
  if (histogram.length === 0) return { x: [0], y: [0] };
  return { x: [-0.5, ...x, histogram.length - 0.5], y: [0, ...y, 0] };
}

export interface LengthHistogramOptions {
  /** Title. Default 'tokens per sequence'. */
  title?: string;
  /** Legend name of the sources. Default 'English'. */
  srcName?: string;
  /** Legend name of the targets. Default 'target'. */
  tgtName?: string;
}

/** The histogram as an SVG string. */
export function plotLengthHistogram(lengths: LengthStats, options: LengthHistogramOptions = {}): string {
  const src = steps(lengths.src.histogram);
  const tgt = steps(lengths.tgt.histogram);
  return lineChart({
    title: options.title ?? 'tokens per sequence',
    xLabel: '# tokens per sequence',
    yLabel: 'count',
    series: [
      { name: options.srcName ?? 'English', ...src },
      { name: options.tgtName ?? 'target', ...tgt, dashed: true },
    ],
    legend: 'upper right',
  });
}
