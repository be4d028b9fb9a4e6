/**
 * A trained run as `trainClassifier` leaves it: the model in <runDir>/model/ and the class names
 * recorded in <runDir>/metrics.json; and the input size and channels a model takes.
 *
 *   const { net, classNames } = await loadTrainedRun('runs/lenet');
 *   const { size, channels } = modelInput(net);   // [28, 28], 1
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, type tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { DatasetError } from '../errors.js';

export interface TrainedRun {
  net: tf.LayersModel;
  /** From metrics.json; empty when the run did not record them (classes are then shown by index). */
  classNames: string[];
  dir: string;
}

const metricsSchema = z.looseObject({ classNames: z.array(z.string()).optional() });

function readClassNames(dir: string): string[] {
  const file = join(dir, 'metrics.json');
  if (!existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DatasetError(file, `not valid JSON (${(err as Error).message}); retrain the run`, {
      cause: err,
    });
  }
  const r = metricsSchema.safeParse(raw);
  if (!r.success) throw new DatasetError(file, 'classNames is not a list of strings; retrain the run');
  return r.data.classNames ?? [];
}

/** Loads <dir>/model/ and the class names of <dir>/metrics.json. */
export async function loadTrainedRun(dir: string): Promise<TrainedRun> {
  const modelDir = join(dir, 'model');
  if (!existsSync(join(modelDir, 'model.json'))) {
    throw new DatasetError(
      modelDir,
      'no trained model here: run `pnpm vision train --name …` first or pass --name of an existing run',
    );
  }
  const classNames = readClassNames(dir);
  return { net: await loadModel(modelDir), classNames, dir };
}

/** [height, width] and channels of a model's input (28×28×1 where the model leaves them open). */
export function modelInput(net: tf.LayersModel): { size: [number, number]; channels: 1 | 3 } {
  const [, h, w, c] = net.inputs[0]?.shape ?? [];
  return { size: [h ?? 28, w ?? 28], channels: c === 3 ? 3 : 1 };
}
