/**
 * Checkpoints of a training run: model state, optimizer state, where training stood
 * (epoch, step within it, global step), the RNG state and callbacks' state, so that a resumed
 * run continues the same loss curve.
 *
 * Layout: <runDir>/checkpoints/step-000120/{model/, optimizer/, meta.json} and
 * <runDir>/checkpoints/latest.json naming the newest complete one (written last, atomically).
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RngState } from '@dlpipe/core';
import { DlpipeError, ensureDir as ensureFolder, writeFileAtomicSync } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { CheckpointError } from '../errors.js';
import { loadWeights, saveWeights } from '../io/model-io.js';

export interface CheckpointMeta {
  version: 1;
  /** Epoch in progress (0-based) and batches of it already trained. */
  epoch: number;
  stepInEpoch: number;
  /** Optimizer steps so far. */
  globalStep: number;
  /** Seeds each epoch's data order, so a resume skips the very batches it trained on. */
  dataSeed: number;
  rng: RngState;
  callbacks: unknown[];
  /** The epoch's running loss and metrics so far, so that a mid-epoch resume ends with the same epoch record. */
  epochProgress?: unknown;
  /** Number of state tensors, to refuse a checkpoint of another model early. */
  numState: number;
  optimizer: string;
  savedAt: string;
}

export function checkpointsDir(runDir: string): string {
  return join(runDir, 'checkpoints');
}

/** Writes a checkpoint and points latest.json at it; keeps the newest `keep`. */
export async function writeCheckpoint(
  runDir: string,
  state: tf.Variable[],
  optimizer: tf.Optimizer,
  meta: Omit<CheckpointMeta, 'version' | 'numState' | 'optimizer' | 'savedAt'>,
  keep = 2,
): Promise<string> {
  const root = checkpointsDir(runDir);
  const name = `step-${String(meta.globalStep).padStart(6, '0')}`;
  const dir = join(root, name);
  await saveWeights(
    join(dir, 'model'),
    state.map((v, i) => ({ name: `${i}:${v.name}`, tensor: v })),
  );
  const optWeights = await optimizer.getWeights();
  try {
    await saveWeights(join(dir, 'optimizer'), optWeights);
  } finally {
    // getWeights makes a fresh `iter` scalar each call (the slots are the optimizer's own variables)
    for (const w of optWeights)
      if (w.name === 'iter' && !(w.tensor instanceof tf.Variable)) w.tensor.dispose();
  }
  const full: CheckpointMeta = {
    version: 1,
    ...meta,
    numState: state.length,
    optimizer: optimizer.getClassName(),
    savedAt: new Date().toISOString(),
  };
  writeFileAtomicSync(join(dir, 'meta.json'), JSON.stringify(full, null, 1));
  writeFileAtomicSync(join(root, 'latest.json'), JSON.stringify({ path: name, globalStep: meta.globalStep }));
  prune(root, keep, name);
  return dir;
}

function prune(root: string, keep: number, newest: string): void {
  const all = readdirSync(root)
    .filter((n) => /^step-\d+$/.test(n))
    .sort();
  for (const n of all.slice(0, Math.max(0, all.length - keep))) {
    if (n !== newest) rmSync(join(root, n), { recursive: true, force: true });
  }
}

/** The newest complete checkpoint's directory, or undefined when there is none. */
export function latestCheckpoint(runDir: string): string | undefined {
  const latest = join(checkpointsDir(runDir), 'latest.json');
  if (!existsSync(latest)) return undefined;
  try {
    const { path } = JSON.parse(readFileSync(latest, 'utf8')) as { path: string };
    return join(checkpointsDir(runDir), path);
  } catch (err) {
    throw new CheckpointError(`${latest} is corrupt: ${(err as Error).message}; delete it to start over`, {
      cause: err,
    });
  }
}

/** Restores state and optimizer from a checkpoint directory; returns its meta. */
export async function readCheckpoint(
  dir: string,
  state: tf.Variable[],
  optimizer: tf.Optimizer,
): Promise<CheckpointMeta> {
  const metaPath = join(dir, 'meta.json');
  if (!existsSync(metaPath))
    throw new CheckpointError(`checkpoint ${dir} has no meta.json (incomplete write?)`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as CheckpointMeta;
  if (meta.numState !== state.length) {
    throw new CheckpointError(
      `checkpoint ${dir} holds ${meta.numState} state tensors but the model has ${state.length}: ` +
        'it was written by a different model; use another run directory or remove the checkpoints',
    );
  }
  if (meta.optimizer !== optimizer.getClassName()) {
    throw new CheckpointError(
      `checkpoint ${dir} was written with optimizer ${meta.optimizer}, this run uses ${optimizer.getClassName()}`,
    );
  }
  let model: tf.NamedTensor[];
  try {
    model = (await loadWeights(join(dir, 'model'))).weights;
  } catch (err) {
    if (err instanceof DlpipeError)
      throw new CheckpointError(`cannot resume: ${err.message}`, { cause: err });
    throw err;
  }
  try {
    state.forEach((v, i) => {
      const t = model[i]!.tensor;
      if (t.shape.join() !== v.shape.join()) {
        throw new CheckpointError(
          `checkpoint ${dir}: state tensor ${i} '${v.name}' has shape [${v.shape}] in the model but ` +
            `[${t.shape}] in the checkpoint`,
        );
      }
    });
    state.forEach((v, i) => {
      v.assign(model[i]!.tensor);
    });
  } finally {
    tf.dispose(model.map((w) => w.tensor));
  }
  const opt = (await loadWeights(join(dir, 'optimizer'))).weights;
  try {
    await optimizer.setWeights(opt);
  } finally {
    tf.dispose(opt.map((w) => w.tensor)); // the optimizer made its own variables from them
  }
  return meta;
}

/** Creates the directory if needed (core's `ensureDir`: a PathError, never a hang, when it cannot). */
export function ensureDir(dir: string): void {
  ensureFolder(dir);
}
