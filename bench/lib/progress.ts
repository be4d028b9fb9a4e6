/**
 * Progress of a long benchmark on stderr, so a person sees which cell runs and that it is alive:
 * on a terminal one line rewritten every second with the elapsed time and the current call;
 * otherwise a line per cell start and end.
 *
 *   const p = new Progress();
 *   p.start('[3/14] cpu lenet train (budget 60 s)'); p.step({ phase: 'timed', i: 0 }); p.done(cell);
 */
import { type Cell, fmtRatio, fmtSeconds } from '../engine-report.js';

export class Progress {
  private readonly tty = Boolean(process.stderr.isTTY);
  private label = '';
  private call = '';
  private started = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  /** A line of its own (phases, skipped backends). */
  note(line: string): void {
    this.clear();
    this.stream.write(`bench engine: ${line}\n`);
  }

  /** A cell begins. */
  start(label: string): void {
    this.label = label;
    this.call = '';
    this.started = performance.now();
    if (!this.tty) return void this.stream.write(`${label} …\n`);
    this.render();
    this.timer = setInterval(() => this.render(), 1000);
    this.timer.unref();
  }

  /** The child started a warm-up or timed call. */
  step(p: { phase: string; i: number }): void {
    this.call = `${p.phase === 'warmup' ? 'warm-up' : 'timed'} ${p.i + 1}`;
    if (this.tty) this.render();
  }

  /** The cell ended. */
  done(cell: Cell): void {
    this.clear();
    this.stream.write(`${this.label} → ${summary(cell)}\n`);
  }

  private render(): void {
    const s = ((performance.now() - this.started) / 1000).toFixed(0);
    this.stream.write(`\r\x1b[K${this.label} … ${s} s${this.call ? `, ${this.call}` : ''}`);
  }

  private clear(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tty) this.stream.write('\r\x1b[K');
  }
}

function summary(cell: Cell): string {
  if (cell.status === 'timeout') return `timeout (> ${cell.budgetS} s)`;
  if (cell.status !== 'ok') return `${cell.status}: ${cell.error ?? ''}`;
  if (cell.mode === 'sgemm' || cell.mode === 'bmm') return `${cell.gflops?.toFixed(2)} GFLOP/s`;
  if (cell.mode === 'dispatch') return `${cell.dispatch?.usPerCall.op.toFixed(1)} µs per tiny op`;
  const ratio = cell.ratio === undefined ? '' : ` (${fmtRatio(cell.ratio)})`;
  return `${fmtSeconds(cell.seconds ?? Number.NaN)}${ratio}${cell.iters === 0 ? ', warm-up only' : ''}`;
}
