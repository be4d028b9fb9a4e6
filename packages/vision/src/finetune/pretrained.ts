/**
 * Pretrained backbones shipped inside npm packages, and fine-tuning à la d2l §14.2: load
 * nsfwjs's MobileNetV2 (a tfjs Layers model whose model.json and weights ship as JS modules,
 * the weights as a base64 shard; MIT licence, © Infinite Red), cut the head at the pooled
 * features, add a new dense head, freeze or unfreeze the backbone.
 *
 *   const base = await loadNsfwjsMobileNetV2();          // 224×224×3 in [0, 1] → 5 classes
 *   const small = await loadNsfwjsMobileNetV2({ inputSize: 96 }); // same weights, 96×96 inputs
 *   const net = replaceHead(base, { numClasses: 2 });     // backbone frozen
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tf } from '@dlpipe/tensor';
import { PretrainedModelError } from '../errors.js';
import { type MobileNetTopologyOptions, rewriteMobileNetTopology } from './mobilenet-topology.js';

/** nsfwjs's model.json: the Keras topology and the weights manifest. */
export interface NsfwjsModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

export interface MobileNetV2Options extends MobileNetTopologyOptions {
  /** nsfwjs's trained weights (true), or the same architecture freshly initialized from the topology's initializers under the current seed (false: training from scratch). Default true. */
  pretrained?: boolean;
}

/** nsfwjs's MobileNetV2 model.json and base64 weight shard, as shipped (read beside its CommonJS entry). */
export function readNsfwjsMobileNetV2Files(): { json: NsfwjsModelJson; shard: string } {
  try {
    const require = createRequire(import.meta.url);
    // the model files are not in nsfwjs's `exports`: reach them beside its CommonJS entry
    const dir = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2');
    const json = require(join(dir, 'model.min.js')) as NsfwjsModelJson;
    const shard = require(join(dir, 'group1-shard1of1.min.js')) as string;
    return { json, shard };
  } catch (err) {
    throw new PretrainedModelError(
      `cannot load nsfwjs's MobileNetV2 model files (${(err as Error).message}); install npm nsfwjs 4.4.0 in @dlpipe/vision`,
      { cause: err },
    );
  }
}

/**
 * nsfwjs's MobileNetV2 (RGB in [0, 1]; 5 classes: drawing, hentai, neutral, porn, sexy), at
 * 224×224 as trained or at `inputSize` (a multiple of 32) with the same weights.
 */
export async function loadNsfwjsMobileNetV2(options: MobileNetV2Options = {}): Promise<tf.LayersModel> {
  const { json, shard } = readNsfwjsMobileNetV2Files();
  const modelTopology = rewriteMobileNetTopology(json.modelTopology, options) as object;
  if (options.pretrained === false) {
    return tf.models.modelFromJSON({ modelTopology } as Parameters<typeof tf.models.modelFromJSON>[0]);
  }
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology, ...nsfwjsWeights(json, shard) }));
}

/** The weight specs and bytes of the shipped shard, for `tf.io.fromMemory`. */
export function nsfwjsWeights(
  json: NsfwjsModelJson,
  shard: string,
): { weightSpecs: tf.io.WeightsManifestEntry[]; weightData: ArrayBuffer } {
  const bytes = Buffer.from(shard, 'base64');
  return {
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
  };
}

export interface ReplaceHeadOptions {
  numClasses: number;
  /** The layer whose output feeds the new head. Default: the last GlobalAveragePooling2D, else the first Flatten (nsfwjs: pooled 1280 features). */
  featureLayer?: string;
  /** Dropout before the new head. Default 0. */
  dropout?: number;
  /** Freeze the backbone. Default true. */
  freeze?: boolean;
}

/** The layer of pooled features: the last GlobalAveragePooling2D, else the first Flatten (nsfwjs: 1280). */
export function defaultFeatureLayer(base: tf.LayersModel): tf.layers.Layer | undefined {
  return (
    base.layers.filter((l) => l.getClassName() === 'GlobalAveragePooling2D').at(-1) ??
    base.layers.find((l) => l.getClassName() === 'Flatten')
  );
}

/** The backbone up to its pooled features with a new dense head (logits). */
export function replaceHead(base: tf.LayersModel, o: ReplaceHeadOptions): tf.LayersModel {
  const layer = o.featureLayer
    ? base.layers.find((l) => l.name === o.featureLayer)
    : defaultFeatureLayer(base);
  if (!layer) {
    const names = base.layers.slice(-6).map((l) => l.name);
    throw new PretrainedModelError(
      `no feature layer ${o.featureLayer ? `'${o.featureLayer}'` : '(GlobalAveragePooling2D or Flatten)'} in '${base.name}'; its last layers are [${names}]`,
    );
  }
  const backbone = tf.model({
    inputs: base.inputs,
    outputs: layer.output as tf.SymbolicTensor,
    name: 'backbone',
  });
  setTrainable(backbone, !(o.freeze ?? true));
  let x = backbone.outputs[0] as tf.SymbolicTensor;
  if (o.dropout) x = tf.layers.dropout({ rate: o.dropout }).apply(x) as tf.SymbolicTensor;
  const head = tf.layers.dense({ units: o.numClasses, name: 'head' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: backbone.inputs, outputs: head, name: 'finetune' });
}

/**
 * Freezes or unfreezes every layer except the head. A frozen BatchNormalization runs in inference
 * mode, as in Keras ≥ 2.1.3 (@dlpipe/tensor's BatchNormalization, which models loaded from JSON
 * get): moving statistics, no updates.
 */
export function setTrainable(net: tf.LayersModel, trainable: boolean, except = ['head']): void {
  for (const l of net.layers) if (!except.includes(l.name)) l.trainable = trainable;
}

/** Variable names of the head, for a per-group learning rate. */
export function headVariableNames(net: tf.LayersModel, head = 'head'): Set<string> {
  return new Set(net.getLayer(head).trainableWeights.map((w) => (w.read() as tf.Variable).name));
}
