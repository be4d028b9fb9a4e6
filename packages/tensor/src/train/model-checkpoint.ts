/**
 * Checkpoints as a callback: model and optimizer state, where training stands, the RNG state and
 * the stateful callbacks' state, every `every` optimizer steps and at each epoch end; `restore`
 * puts a run back to its latest checkpoint (the `resume` of fit), on the same loss curve, and says
 * where it resumed on stderr: `dlpipe: resuming from epoch 2, step 120 (checkpoint runs/a/checkpoints/step-000120)`.
 *
 *   const ckpt = new ModelCheckpoint({ runDir: 'runs/a', every: 100, stateful: [earlyStopping] });
 *   const resumedFrom = await ckpt.restore(run); // before training begins
 */
import { getRngState, setRngState } from '@dlpipe/core';
import type { Callback, CallbackContext, FitRun } from './callback.js';
import { latestCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint.js';

export interface ModelCheckpointOptions {
  /** Checkpoints go to `<runDir>/checkpoints/`. */
  runDir: string;
  /** Every N optimizer steps as well as at each epoch end. Default 0: epoch ends only. */
  every?: number;
  /** Checkpoints kept. Default 2. */
  keep?: number;
  /** The epoch's running loss and metrics (fit's train step), saved and restored with the position. */
  progress?: { getState(): unknown; setState(state: unknown): void };
  /** Callbacks whose `getState()` is saved and `setState()` restored, by position. */
  stateful?: readonly Callback[];
  /** Where the "resuming from …" line goes. Default: stderr (silenced by DLPIPE_QUIET). */
  notice?: (line: string) => void;
}

/** The line a resume prints: the epoch it continues (1-based), the optimizer steps done, the checkpoint. */
export function resumeNotice(meta: { epoch: number; globalStep: number }, dir: string): string {
  return `dlpipe: resuming from epoch ${meta.epoch + 1}, step ${meta.globalStep} (checkpoint ${dir})`;
}

function stderrNotice(line: string): void {
  if (!process.env.DLPIPE_QUIET) process.stderr.write(`${line}\n`);
}

export class ModelCheckpoint implements Callback {
  constructor(private readonly o: ModelCheckpointOptions) {}

  /** Restores the latest checkpoint into the run, if there is one; returns its directory. */
  async restore(run: FitRun): Promise<string | undefined> {
    const dir = latestCheckpoint(this.o.runDir);
    if (!dir) return undefined;
    const meta = await readCheckpoint(dir, run.task.stateTensors(), run.optimizer);
    const { epoch, stepInEpoch, globalStep, dataSeed } = meta;
    Object.assign(run.position, { epoch, stepInEpoch, globalStep, dataSeed });
    setRngState(meta.rng);
    (this.o.stateful ?? []).forEach((c, i) => {
      c.setState?.(meta.callbacks[i]);
    });
    if (meta.epochProgress !== undefined) this.o.progress?.setState(meta.epochProgress);
    (this.o.notice ?? stderrNotice)(resumeNotice(meta, dir));
    return dir;
  }

  async onStepEnd(_record: unknown, ctx: CallbackContext): Promise<void> {
    if (this.o.every && ctx.step % this.o.every === 0) await this.save(ctx.run);
  }

  async onEpochEnd(_record: unknown, ctx: CallbackContext): Promise<void> {
    await this.save(ctx.run);
  }

  private async save(run: FitRun): Promise<void> {
    await writeCheckpoint(
      this.o.runDir,
      run.task.stateTensors(),
      run.optimizer,
      {
        ...run.position,
        rng: getRngState(),
        callbacks: (this.o.stateful ?? []).map((c) => c.getState?.() ?? null),
        epochProgress: this.o.progress?.getState(),
      },
      this.o.keep ?? 2,
    );
  }
}
