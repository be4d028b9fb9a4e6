/**
 * A tfjs IOHandler for local directories in the standard TensorFlow.js format: `model.json`
 * (topology + weightsManifest) and weight shards `group1-shardNofM.bin` (4 MiB each), readable by
 * stock tfjs/tfjs-node (`tf.loadLayersModel('file://dir/model.json')`) and vice versa.
 *
 *   await model.save(fileIO('runs/mlp/model'));
 *   const m = await tf.loadLayersModel(fileIO('runs/mlp/model'));
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDir, tempPathFor } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ModelLoadError } from '../errors.js';

export const MODEL_JSON = 'model.json';
const SHARD_BYTES = 4 * 1024 * 1024;

/** A directory from a `file://` URL, a path to a directory, or a path to its model.json. */
export function modelDir(pathOrUrl: string): string {
  const p = pathOrUrl.startsWith('file://') ? fileURLToPath(pathOrUrl) : pathOrUrl;
  return resolve(p.endsWith('.json') ? dirname(p) : p);
}

function modelJsonPath(pathOrUrl: string): string {
  const p = pathOrUrl.startsWith('file://') ? fileURLToPath(pathOrUrl) : pathOrUrl;
  return resolve(p.endsWith('.json') ? p : join(p, MODEL_JSON));
}

function toBuffer(data: tf.io.WeightData | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  return Buffer.from(tf.io.CompositeArrayBuffer.join(data));
}

/**
 * Writes model artifacts as model.json + shards; the directory is replaced atomically: written
 * under a hidden temporary name beside it (core's `tempPathFor`), then swapped in by renames. A
 * folder cannot go through core's `withAtomicFile` (its one rename cannot replace a non-empty
 * folder, and this function is synchronous), so the swap and the cleanup on failure are here.
 */
export function writeArtifacts(pathOrUrl: string, artifacts: tf.io.ModelArtifacts): tf.io.SaveResult {
  const jsonPath = modelJsonPath(pathOrUrl);
  const dir = dirname(jsonPath);
  const weights = toBuffer(artifacts.weightData);
  const n = Math.max(1, Math.ceil(weights.byteLength / SHARD_BYTES));
  const paths = Array.from({ length: n }, (_, i) => `group1-shard${i + 1}of${n}.bin`);
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  ensureDir(dirname(dir), 'model folder');
  const tmp = tempPathFor(dir);
  const old = tempPathFor(dir);
  try {
    mkdirSync(tmp);
    paths.forEach((p, i) => {
      writeFileSync(join(tmp, p), weights.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES));
    });
    writeFileSync(join(tmp, MODEL_JSON), JSON.stringify(json));
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) renameSync(old, dir); // put the previous model back
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
  return {
    modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts),
  };
}

/** Reads and checks model.json and its weight files; errors name the file and what is wrong. */
export function readArtifacts(pathOrUrl: string): tf.io.ModelArtifacts {
  const jsonPath = modelJsonPath(pathOrUrl);
  if (!existsSync(jsonPath)) {
    throw new ModelLoadError(
      jsonPath,
      'no model.json here: expected a directory written by saveModel/model.save',
    );
  }
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
  } catch (err) {
    throw new ModelLoadError(jsonPath, `model.json is not valid JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (typeof json !== 'object' || json === null || !('modelTopology' in json)) {
    throw new ModelLoadError(jsonPath, 'model.json has no modelTopology field: not a TensorFlow.js model');
  }
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new ModelLoadError(jsonPath, 'weightsManifest must be an array');
  const dir = dirname(jsonPath);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Buffer[] = [];
  for (const group of manifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = join(dir, p);
      if (!existsSync(file)) throw new ModelLoadError(file, `weight file listed in model.json is missing`);
      buffers.push(readFileSync(file));
    }
  }
  const data = Buffer.concat(buffers);
  const expected = specs.reduce((n, s) => n + specBytes(s, jsonPath), 0);
  if (data.byteLength !== expected) {
    throw new ModelLoadError(
      dir,
      `weight files hold ${data.byteLength} bytes but model.json's manifest describes ${expected}: ` +
        'the weights are truncated or belong to another model; save the model again',
    );
  }
  const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  return tf.io.getModelArtifactsForJSONSync(json, specs, ab);
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, int16: 2 };

function specBytes(s: tf.io.WeightsManifestEntry, jsonPath: string): number {
  const n = s.shape.reduce((a, b) => a * b, 1);
  if (s.quantization) return n * (DTYPE_BYTES[s.quantization.dtype] ?? 4);
  if (s.dtype === 'string') {
    throw new ModelLoadError(
      jsonPath,
      `weight '${s.name}' has dtype 'string'; expected a numeric dtype (float32, int32, …): string weights are not supported`,
    );
  }
  return n * (DTYPE_BYTES[s.dtype] ?? 4);
}

/** The IOHandler for a local directory (or file:// URL). */
export function fileIO(pathOrUrl: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => writeArtifacts(pathOrUrl, artifacts),
    load: async () => readArtifacts(pathOrUrl),
  };
}

let routed = false;
/** Lets `model.save('file://…')` and `tf.loadLayersModel('file://…')` work (unless tfjs-node already does). */
export function registerFileRouter(): void {
  if (routed) return;
  routed = true;
  if (tf.io.getSaveHandlers('file:///probe').length > 0) return;
  const route = (url: string | string[]): tf.io.IOHandler => {
    const u = Array.isArray(url) ? url[0]! : url;
    return (u.startsWith('file://') ? fileIO(u) : null) as tf.io.IOHandler;
  };
  tf.io.registerSaveRouter(route);
  tf.io.registerLoadRouter(route);
}

/** True when `pathOrUrl` holds a model.json. */
export function hasModel(pathOrUrl: string): boolean {
  const p = modelJsonPath(pathOrUrl);
  return existsSync(p) && statSync(p).isFile();
}
