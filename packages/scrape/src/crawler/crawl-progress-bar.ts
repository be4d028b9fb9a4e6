/**
 * Live crawl progress on stderr through @dlpipe/tensor's `ProgressBar`: pages handled out of all
 * known so far (the total grows as links are found), done / queued / failed, pages per minute.
 *
 *   const bar = new CrawlProgressBar({ label: 'shop' });
 *   new Crawler({ …, onProgress: (p) => bar.update(p) });  …  bar.done();
 *   // shop  [=====>     ] 40/96  done 38 queued 56 failed 1 skipped 1  212 pages/min  3.5 pages/s  ETA 0:16
 */
import { ProgressBar, type ProgressBarOptions } from '@dlpipe/core';
import type { CrawlProgress } from './crawler.js';

/** Options of `CrawlProgressBar`: those of ProgressBar but the total and unit, which it keeps. */
export type CrawlProgressBarOptions = Omit<ProgressBarOptions, 'total' | 'unit'>;

/** `done 38 queued 56 failed 1 skipped 1  212 pages/min`. */
export function progressText(p: CrawlProgress): string {
  const c = p.counts;
  const queued = c.pending + c.in_progress;
  return `done ${c.done} queued ${queued} failed ${c.failed}${c.skipped ? ` skipped ${c.skipped}` : ''}  ${Math.round(p.session.pagesPerMin)} pages/min`;
}

export class CrawlProgressBar {
  // ProgressBar reads its options at every draw, so the total and label can follow the crawl
  private readonly opts: ProgressBarOptions;
  private readonly bar: ProgressBar;
  private shown = 0;
  private started = false;
  /** ProgressBar draws by itself when done reaches the total; plain mode then needs no final line. */
  private atTotal = false;

  constructor(private readonly options: CrawlProgressBarOptions = {}) {
    this.opts = { ...options, unit: 'pages', total: 1 };
    this.bar = new ProgressBar(this.opts);
  }

  update(p: CrawlProgress): void {
    const c = p.counts;
    const handled = c.done + c.failed + c.skipped;
    this.opts.total = Math.max(1, handled + c.pending + c.in_progress);
    this.opts.label = [this.options.label, progressText(p)].filter(Boolean).join('  ');
    // pages of earlier sessions count toward the bar, not toward this session's speed
    const before = this.started ? 0 : handled - (p.session.done + p.session.failed + p.session.skipped);
    this.started = true;
    const step = handled - this.shown;
    this.shown = handled;
    this.bar.update(step, {}, step - before);
    this.atTotal = handled === this.opts.total;
  }

  /** The final line. */
  done(): void {
    const tty = this.options.tty ?? Boolean((this.options.stream ?? process.stderr).isTTY);
    if (!(this.atTotal && !tty)) this.bar.done();
  }

  /** The line as it would be drawn now. */
  line(): string {
    return this.bar.line();
  }
}
