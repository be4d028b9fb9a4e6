/**
 * Graceful stop on SIGINT/SIGTERM: the first signal aborts `signal` (crawls finish their in-flight
 * pages and keep their queues); a second one exits at once (the store stays consistent: every
 * state change is its own transaction).
 *
 *   const stop = installStopSignals((sig) => console.error(`${sig}: stopping`));
 *   await runJob(job, { …, signal: stop.signal }); stop.dispose();
 */
import { constants } from 'node:os';

export interface StopSignals {
  signal: AbortSignal;
  /** The number of the signal that stopped us (2 SIGINT, 15 SIGTERM), if any. */
  signalNumber(): number | undefined;
  dispose(): void;
}

export function installStopSignals(onFirst: (signal: NodeJS.Signals) => void): StopSignals {
  const abort = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals) => {
    if (received) {
      process.stderr.write(`${sig} again: exiting now; the unfinished pages are resumed by the next run\n`);
      process.exit(128 + constants.signals[sig]);
    }
    received = sig;
    onFirst(sig);
    abort.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: abort.signal,
    signalNumber: () => (received ? constants.signals[received] : undefined),
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
