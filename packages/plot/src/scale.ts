/**
 * Axis scales: linear and log10 maps from data to pixels, "nice" domains and ticks
 * (steps of 1, 2 or 5 × 10^k; whole decades on log axes) and tick labels.
 *
 *   const y = createScale({ extent: [0, 0.93], range: [380, 20] });
 *   y.ticks;            // [0, 0.2, 0.4, 0.6, 0.8, 1]
 *   y.map(0.5);         // 200
 *   y.format(0.2);      // '0.2'
 */
import { PlotError } from './plot-error.js';
import { formatTick } from './tick-format.js';

/** A map from a data domain to a pixel range, with its ticks and tick labels. */
export interface AxisScale {
  readonly log: boolean;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  /** Major ticks (labelled, with gridlines), ascending, all inside the domain. */
  readonly ticks: readonly number[];
  /** Minor ticks (2…9 × 10^k on log axes; none on linear axes). */
  readonly minorTicks: readonly number[];
  /** Data value → pixel. */
  map(v: number): number;
  /** Tick value → label, with the same decimals for every tick of the axis. */
  format(v: number): string;
}

export interface AxisScaleOptions {
  /** Finite data [min, max]; min may equal max (the domain is widened). */
  extent: readonly [number, number];
  /** Pixel [start, end]; end < start for a y axis that grows upwards. */
  range: readonly [number, number];
  /** A log10 scale; every value must be > 0. Default: false. */
  log?: boolean;
  /** A fixed domain, used as is. Default: `extent` widened to nice ticks. */
  domain?: readonly [number, number];
  /** About how many intervals between major ticks. Default: 5. */
  tickCount?: number;
}

/** A step of 1, 2 or 5 × 10^k that cuts `span` into about `count` intervals. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const f = norm < Math.SQRT2 ? 1 : norm < Math.sqrt(10) ? 2 : norm < Math.sqrt(50) ? 5 : 10;
  return f * mag;
}

/** Rounds away float noise such as 0.30000000000000004. */
function clean(v: number): number {
  return Number(v.toPrecision(12));
}

/** The multiples of `step` from lo to hi (inclusive, with a small tolerance). */
function multiples(lo: number, hi: number, step: number): number[] {
  const first = Math.ceil(lo / step - 1e-9);
  const last = Math.floor(hi / step + 1e-9);
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(clean(i * step));
  return out;
}

/** Linear major ticks inside [lo, hi], about `count` intervals apart. */
export function linearTicks(lo: number, hi: number, count = 5): number[] {
  return multiples(lo, hi, niceStep(hi - lo, count));
}

/** Widens a degenerate [v, v] extent so an axis can be drawn around a constant series. */
function widen(min: number, max: number, log: boolean): [number, number] {
  if (min < max) return [min, max];
  if (log) return [min / 10, max * 10];
  const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
  return [min - pad, max + pad];
}

/** The data extent rounded outwards: to multiples of the tick step, or to whole decades. */
export function niceDomain(min: number, max: number, log = false, count = 5): [number, number] {
  const [lo, hi] = widen(min, max, log);
  if (log) return [10 ** Math.floor(Math.log10(lo) + 1e-9), 10 ** Math.ceil(Math.log10(hi) - 1e-9)];
  const step = niceStep(hi - lo, count);
  return [clean(Math.floor(lo / step + 1e-9) * step), clean(Math.ceil(hi / step - 1e-9) * step)];
}

/** Log major ticks: decades inside [lo, hi] (every k-th when there are many), else linear ones. */
export function logTicks(lo: number, hi: number, count = 5): number[] {
  const e0 = Math.ceil(Math.log10(lo) - 1e-9);
  const e1 = Math.floor(Math.log10(hi) + 1e-9);
  const stride = Math.max(1, Math.ceil((e1 - e0) / (count + 2)));
  const out: number[] = [];
  for (let e = e0; e <= e1; e += stride) out.push(clean(10 ** e));
  return out.length >= 2 ? out : linearTicks(lo, hi, count).filter((v) => v > 0);
}

/** 2…9 × 10^k inside [lo, hi], when the major ticks are every decade. */
function logMinorTicks(lo: number, hi: number, majors: readonly number[]): number[] {
  const decades = Math.log10(hi / lo);
  if (decades > 8 || majors.length < 2 || clean(majors[1]! / majors[0]!) !== 10) return [];
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e < Math.ceil(Math.log10(hi)); e++) {
    for (let m = 2; m <= 9; m++) {
      const v = clean(m * 10 ** e);
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

/** Builds a scale; throws a PlotError for a non-finite extent or a non-positive log extent. */
export function createScale(options: AxisScaleOptions): AxisScale {
  const { extent, range, log = false, tickCount = 5 } = options;
  checkExtent(options.domain ?? extent, log);
  const domain = options.domain ?? niceDomain(extent[0], extent[1], log, tickCount);
  const [d0, d1] = domain[0] === domain[1] ? widen(domain[0], domain[1], log) : domain;
  const [r0, r1] = range;
  const t = log ? (v: number) => Math.log10(v) : (v: number) => v;
  const k = (r1 - r0) / (t(d1) - t(d0));
  const lo = Math.min(d0, d1);
  const hi = Math.max(d0, d1);
  const ticks = log ? logTicks(lo, hi, tickCount) : linearTicks(lo, hi, tickCount);
  return {
    log,
    domain: [d0, d1],
    range: [r0, r1],
    ticks,
    minorTicks: log ? logMinorTicks(lo, hi, ticks) : [],
    map: (v) => r0 + (t(v) - t(d0)) * k,
    format: (v) => formatTick(v, ticks, log),
  };
}

function checkExtent([a, b]: readonly [number, number], log: boolean): void {
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new PlotError(`a scale needs a finite extent, got [${a}, ${b}]; drop NaN/Infinity values first.`);
  }
  if (log && !(a > 0 && b > 0)) {
    throw new PlotError(
      `a log scale needs values > 0, got [${a}, ${b}]; drop zeros and negatives or use a linear axis.`,
    );
  }
}
