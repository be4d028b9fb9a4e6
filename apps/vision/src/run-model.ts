/**
 * A trained run's model and class names, for `eval` and `predict`: runs/<name>/model/ and the
 * classNames recorded in runs/<name>/metrics.json.
 *
 *   const { net, classNames } = await loadRun({ runs: 'runs', name: 'lenet', model: 'lenet' });
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, type tf } from '@dlpipe/tensor';
import { DatasetError } from '@dlpipe/vision';
import { runDir } from './args.js';

export interface RunRef {
  runs: string;
  name?: string | undefined;
  /** The fallback run name (train's default). */
  model: string;
}

export async function loadRun(
  o: RunRef,
): Promise<{ net: tf.LayersModel; classNames: string[]; dir: string }> {
  const dir = runDir(o, o.model);
  const modelDir = join(dir, 'model');
  if (!existsSync(join(modelDir, 'model.json'))) {
    throw new DatasetError(
      modelDir,
      'no trained model here: run `pnpm vision train --name …` first or pass --name of an existing run',
    );
  }
  const metrics = join(dir, 'metrics.json');
  const classNames: string[] = existsSync(metrics)
    ? (JSON.parse(readFileSync(metrics, 'utf8')).classNames ?? [])
    : [];
  return { net: await loadModel(modelDir), classNames, dir };
}

/** [height, width, channels] of a model's input. */
export function inputOf(net: tf.LayersModel): { size: [number, number]; channels: 1 | 3 } {
  const [, h, w, c] = net.inputs[0]?.shape ?? [];
  return { size: [h ?? 28, w ?? 28], channels: c === 3 ? 3 : 1 };
}
