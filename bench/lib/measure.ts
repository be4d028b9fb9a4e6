/**
 * Median wall time of a function: warm-up calls first, then timed calls until `iters` are done
 * or the next one would pass the deadline. When not even one timed call fits, the last warm-up's
 * time stands in, flagged `warmupOnly`.
 *
 *   const { median, times } = timeIt(() => net.trainStep(), { warmup: 2, iters: 5, deadline });
 */

/** Options of `timeIt`. */
export interface TimeItOptions {
  /** Untimed calls first (default 2). */
  warmup?: number;
  /** Timed calls wanted (default 5). */
  iters?: number;
  /** `performance.now()` after which no further call starts (default: none). */
  deadline?: number;
  /** Called before each call with its phase and index, for progress lines. */
  onCall?: (phase: 'warmup' | 'timed', i: number) => void;
}

export interface Timing {
  /** Median of the timed calls, in seconds. */
  median: number;
  /** Every timed call, in seconds, in order. */
  times: number[];
  /** Warm-up calls made. */
  warmups: number;
  /** True when the deadline left no room for a timed call: `median` is the last warm-up's time. */
  warmupOnly: boolean;
}

function fits(last: number, deadline: number): boolean {
  return performance.now() + last * 1.1 < deadline;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

export function timeIt(fn: () => void, options: TimeItOptions = {}): Timing {
  const { warmup = 2, iters = 5, deadline = Number.POSITIVE_INFINITY, onCall } = options;
  let last = 0;
  let warmups = 0;
  // a further warm-up only while all timed calls would still fit after it
  for (; warmups < warmup && (warmups === 0 || fits(last * (1 + iters), deadline)); warmups++) {
    onCall?.('warmup', warmups);
    const t0 = performance.now();
    fn();
    last = performance.now() - t0;
  }
  const times: number[] = [];
  if (warmups > 0 && !fits(last, deadline)) return { median: last / 1000, times, warmups, warmupOnly: true };
  while (times.length < iters && (times.length === 0 || fits(last, deadline))) {
    onCall?.('timed', times.length);
    const t0 = performance.now();
    fn();
    last = performance.now() - t0;
    times.push(last / 1000);
  }
  return { median: median(times), times, warmups, warmupOnly: false };
}
