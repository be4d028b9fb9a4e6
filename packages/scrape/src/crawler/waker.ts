/**
 * Timing helpers of the crawl loop: a sleep that ends early when something happens (the next ready
 * request or a finished page, whichever comes first), and a deadline for work that may hang.
 *
 *   const waker = new Waker();  …  await waker.wait(250);  // elsewhere: waker.notify();
 *   await withDeadline(handlePage(…), 70_000, async () => new RetryRequestError(url, 'hung'));
 */
export class Waker {
  private pending: (() => void) | undefined;
  private notified = false;

  /** Resolves after `ms` (Infinity: only on notify) or at the next `notify()`. */
  wait(ms: number): Promise<void> {
    if (this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(done, Math.max(0, ms)) : undefined;
      const self = this;
      function done() {
        clearTimeout(timer);
        self.pending = undefined;
        resolve();
      }
      this.pending = done;
    });
  }

  notify(): void {
    if (this.pending) this.pending();
    else this.notified = true;
  }
}

const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * `work`, or — when it has not settled after `ms` — the error `onTimeout` makes (it may first
 * clean up, e.g. restart a hung browser). A late result of `work` is dropped.
 */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  onTimeout: () => Promise<Error>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    const first = await Promise.race([work, deadline]);
    if (first !== TIMED_OUT) return first;
    work.catch(() => undefined);
    throw await onTimeout();
  } finally {
    clearTimeout(timer);
  }
}
