/**
 * A progress bar for long work: on a TTY one line redrawn in place with a bar, counts, values,
 * throughput and ETA; elsewhere (CI, pipes) plain lines at most every `plainEvery` seconds.
 *
 *   const bar = new ProgressBar({ total: 469, label: 'epoch 1/10', unit: 'samples' });
 *   bar.update(1, { loss: 0.53 }, 256); … bar.done();
 */
import type { Writable } from 'node:stream';

export interface ProgressBarOptions {
  /** Units of work (e.g. batches); undefined when unknown (no bar, no ETA). */
  total?: number;
  /** Prefix, e.g. "epoch 3/10". */
  label?: string;
  /** What throughput counts. Default 'it'. */
  unit?: string;
  /** Default process.stderr. */
  stream?: Writable & { isTTY?: boolean; columns?: number };
  /** Force TTY (redraw) or plain mode. Default: the stream's isTTY. */
  tty?: boolean;
  /** Plain mode: seconds between lines. Default 10. */
  plainEvery?: number;
  /** Print nothing. Default false. */
  silent?: boolean;
}

/** "1:02:03" or "2:03". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return v.toFixed(4);
}

export class ProgressBar {
  private done_ = 0;
  private units = 0;
  private readonly t0 = performance.now();
  private lastDraw = 0;
  private values: Record<string, number> = {};
  private readonly stream: NonNullable<ProgressBarOptions['stream']>;
  private readonly tty: boolean;

  constructor(private readonly o: ProgressBarOptions = {}) {
    this.stream = o.stream ?? process.stderr;
    this.tty = o.tty ?? Boolean(this.stream.isTTY);
  }

  /** Advances by `n` units of work and `throughputUnits` (e.g. samples), updating displayed values. */
  update(n = 1, values: Record<string, number> = {}, throughputUnits = n): void {
    this.done_ += n;
    this.units += throughputUnits;
    Object.assign(this.values, values);
    const now = performance.now();
    const every = this.tty ? 100 : (this.o.plainEvery ?? 10) * 1000;
    if (now - this.lastDraw >= every || this.done_ === this.o.total) {
      this.lastDraw = now;
      this.draw(false);
    }
  }

  /** Final line for this bar. */
  done(values: Record<string, number> = {}): void {
    Object.assign(this.values, values);
    this.draw(true);
  }

  /** The line as it would be printed now (for tests and logs). */
  line(): string {
    const elapsed = (performance.now() - this.t0) / 1000;
    const rate = elapsed > 0 ? this.units / elapsed : 0;
    const parts: string[] = [];
    if (this.o.label) parts.push(this.o.label);
    const total = this.o.total;
    if (total) {
      const frac = Math.min(1, this.done_ / total);
      if (this.tty) {
        const width = 24;
        const fill = Math.round(frac * width);
        parts.push(`[${'='.repeat(Math.max(0, fill - 1))}${fill > 0 ? '>' : ''}${' '.repeat(width - fill)}]`);
      }
      parts.push(`${this.done_}/${total}`);
    } else parts.push(`${this.done_}`);
    for (const [k, v] of Object.entries(this.values)) parts.push(`${k} ${formatValue(v)}`);
    parts.push(`${rate >= 100 ? rate.toFixed(0) : rate.toFixed(1)} ${this.o.unit ?? 'it'}/s`);
    if (total && this.done_ < total && rate > 0) {
      const perUnit = elapsed / Math.max(1, this.done_);
      parts.push(`ETA ${formatDuration(perUnit * (total - this.done_))}`);
    } else parts.push(formatDuration(elapsed));
    return parts.join('  ');
  }

  private draw(final: boolean): void {
    if (this.o.silent) return;
    let text = this.line();
    if (this.tty) {
      const cols = this.stream.columns ?? 120;
      if (text.length > cols - 1) text = text.slice(0, cols - 1);
      this.stream.write(`\r\x1b[2K${text}${final ? '\n' : ''}`);
    } else {
      this.stream.write(`${text}\n`);
    }
  }
}
