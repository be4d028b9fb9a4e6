/**
 * Pretrained backbones shipped inside npm packages, and fine-tuning à la d2l §14.2: load
 * nsfwjs's MobileNetV2 (a tfjs Layers model whose model.json and weights ship as JS modules,
 * the weights as a base64 shard; MIT licence, © Infinite Red), cut the head at the pooled
 * features, add a new dense head, freeze or unfreeze the backbone.
 *
 *   const base = await loadNsfwjsMobileNetV2();          // 224×224×3 in [0, 1] → 5 classes
 *   const net = replaceHead(base, { numClasses: 2 });     // backbone frozen
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tf } from '@dlpipe/tensor';
import { PretrainedModelError } from '../errors.js';

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
}

/** nsfwjs's MobileNetV2 (224×224×3 RGB in [0, 1]; 5 classes: drawing, hentai, neutral, porn, sexy). */
export async function loadNsfwjsMobileNetV2(): Promise<tf.LayersModel> {
  let json: ModelJson;
  let shard: string;
  try {
    const require = createRequire(import.meta.url);
    // the model files are not in nsfwjs's `exports`: reach them beside its CommonJS entry
    const dir = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2');
    json = require(join(dir, 'model.min.js')) as ModelJson;
    shard = require(join(dir, 'group1-shard1of1.min.js')) as string;
  } catch (err) {
    throw new PretrainedModelError(
      `cannot load nsfwjs's MobileNetV2 model files (${(err as Error).message}); install npm nsfwjs 4.4.0 in @dlpipe/vision`,
      { cause: err },
    );
  }
  const weightData = Buffer.from(shard, 'base64');
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buf = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology as object, weightSpecs: specs, weightData: buf }),
  );
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

/** The backbone up to its pooled features with a new dense head (logits). */
export function replaceHead(base: tf.LayersModel, o: ReplaceHeadOptions): tf.LayersModel {
  const layer = o.featureLayer
    ? base.layers.find((l) => l.name === o.featureLayer)
    : (base.layers.filter((l) => l.getClassName() === 'GlobalAveragePooling2D').at(-1) ??
      base.layers.find((l) => l.getClassName() === 'Flatten'));
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

/** Freezes or unfreezes every layer except the head. */
export function setTrainable(net: tf.LayersModel, trainable: boolean, except = ['head']): void {
  for (const l of net.layers) if (!except.includes(l.name)) l.trainable = trainable;
}

/** Variable names of the head, for a per-group learning rate. */
export function headVariableNames(net: tf.LayersModel, head = 'head'): Set<string> {
  return new Set(net.getLayer(head).trainableWeights.map((w) => (w.read() as tf.Variable).name));
}
