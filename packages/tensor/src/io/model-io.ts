/**
 * Save and load models and named weights in the standard TensorFlow.js format.
 *
 *   await saveModel(model, 'runs/mlp/model');          // or 'file:///abs/dir'
 *   const same = await loadModel('runs/mlp/model');     // custom layers: register them first
 *   await saveWeights('ckpt/w', { W: w, b });           // custom (step-form) models
 *   const named = await loadWeights('ckpt/w');
 */

import { tf } from '@dlpipe/engine';
import { ModelLoadError, ShapeMismatchError } from '../errors.js';
import { fileIO, modelDir, readArtifacts, writeArtifacts } from './file-io.js';

/** Saves a Layers model (topology + weights). */
export async function saveModel(model: tf.LayersModel, pathOrUrl: string): Promise<tf.io.SaveResult> {
  return model.save(fileIO(pathOrUrl));
}

/** Loads a Layers model; every failure is a ModelLoadError naming the directory. */
export async function loadModel(pathOrUrl: string): Promise<tf.LayersModel> {
  const artifacts = readArtifacts(pathOrUrl); // typed errors for missing/corrupt files
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    const msg = (err as Error).message;
    const hint = /Unknown (layer|class)/i.test(msg)
      ? ' (a custom layer: import the package that registers it before loading)'
      : '';
    throw new ModelLoadError(modelDir(pathOrUrl), `cannot build the model: ${msg}${hint}`, { cause: err });
  }
}

/** Saves named tensors (a custom model's variables, optimizer state) as model.json + shards. */
export async function saveWeights(
  pathOrUrl: string,
  named: Record<string, tf.Tensor> | tf.NamedTensor[],
  metadata: Record<string, unknown> = {},
): Promise<void> {
  const list = Array.isArray(named)
    ? named
    : Object.entries(named).map(([name, tensor]) => ({ name, tensor }));
  const { data, specs } = await tf.io.encodeWeights(list);
  writeArtifacts(pathOrUrl, {
    modelTopology: { dlpipe: 'weights' },
    format: 'dlpipe-weights',
    generatedBy: 'dlpipe',
    weightData: data,
    weightSpecs: specs,
    userDefinedMetadata: metadata as Record<string, object>,
  });
}

/** Loads named tensors written by saveWeights, in their saved order. The caller disposes them. */
export async function loadWeights(
  pathOrUrl: string,
): Promise<{ weights: tf.NamedTensor[]; metadata: Record<string, unknown> }> {
  const a = readArtifacts(pathOrUrl);
  const map = tf.io.decodeWeights(a.weightData!, a.weightSpecs!);
  const weights = a.weightSpecs!.map((s) => ({ name: s.name, tensor: map[s.name]! }));
  return { weights, metadata: (a.userDefinedMetadata ?? {}) as Record<string, unknown> };
}

/** Loads weights saved from a model of the same architecture into `model` (order + shapes checked). */
export async function loadWeightsInto(model: tf.LayersModel, pathOrUrl: string): Promise<void> {
  const a = readArtifacts(pathOrUrl);
  const map = tf.io.decodeWeights(a.weightData!, a.weightSpecs!);
  const values = a.weightSpecs!.map((s) => map[s.name]!);
  try {
    const targets = model.weights;
    if (targets.length !== values.length) {
      throw new ShapeMismatchError(
        `loading ${modelDir(pathOrUrl)}: the model has ${targets.length} weights but ${values.length} ` +
          'were saved: they come from a different architecture',
      );
    }
    targets.forEach((t, i) => {
      if (t.shape.join() !== values[i]!.shape.join()) {
        throw new ShapeMismatchError(
          `loading ${modelDir(pathOrUrl)}: weight '${t.originalName}' has shape [${t.shape}] in the model ` +
            `but '${a.weightSpecs![i]!.name}' has [${values[i]!.shape}] in the file`,
        );
      }
    });
    targets.forEach((t, i) => {
      t.write(values[i]!);
    });
  } finally {
    tf.dispose(values);
  }
}
