/**
 * A trained run as `trainClassifier` leaves it: the model in <runDir>/model/, whose model.json
 * carries the class names (`userDefinedMetadata.classNames`, set by `setClassNames` before
 * saving; older runs recorded them only in <runDir>/metrics.json, which is read as a fallback);
 * and the input size and channels a model takes.
 *
 *   setClassNames(net, ['T-shirt/top', 'Trouser', …]); await saveModel(net, 'runs/lenet/model');
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
  /** From model.json's metadata, else metrics.json; empty when neither has them (classes shown by index). */
  classNames: string[];
  dir: string;
}

const metricsSchema = z.looseObject({ classNames: z.array(z.string()).optional() });

/** Records the class names in the model's metadata, so that model.json carries them (saveModel). */
export function setClassNames(net: tf.LayersModel, classNames: readonly string[]): void {
  const meta = net.getUserDefinedMetadata();
  const rest = typeof meta === 'object' && meta !== null ? meta : {};
  net.setUserDefinedMetadata({ ...rest, classNames: [...classNames] });
}

/** The class names in a (loaded) model's metadata; empty when it has none. */
export function classNamesOf(net: tf.LayersModel): string[] {
  const r = metricsSchema.safeParse(net.getUserDefinedMetadata() ?? {});
  return r.success ? (r.data.classNames ?? []) : [];
}

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

/** Loads <dir>/model/ and its class names (model.json's metadata, else <dir>/metrics.json). */
export async function loadTrainedRun(dir: string): Promise<TrainedRun> {
  const modelDir = join(dir, 'model');
  if (!existsSync(join(modelDir, 'model.json'))) {
    throw new DatasetError(
      modelDir,
      'no trained model here: run `pnpm vision train --name …` first or pass --name of an existing run',
    );
  }
  const net = await loadModel(modelDir);
  try {
    const fromModel = classNamesOf(net);
    return { net, classNames: fromModel.length > 0 ? fromModel : readClassNames(dir), dir };
  } catch (err) {
    net.dispose();
    throw err;
  }
}

/** [height, width] and channels of a model's input (28×28×1 where the model leaves them open). */
export function modelInput(net: tf.LayersModel): { size: [number, number]; channels: 1 | 3 } {
  const [, h, w, c] = net.inputs[0]?.shape ?? [];
  return { size: [h ?? 28, w ?? 28], channels: c === 3 ? 3 : 1 };
}
