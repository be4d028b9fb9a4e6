/**
 * Feature vectors for a list of image files, for classical learners (logistic regression,
 * self-training, nearest neighbours): the pooled 1280 features of nsfwjs's pretrained
 * MobileNetV2 (d2l §14.2's "use a pretrained network as a feature extractor"), or plain
 * grayscale pixels as the baseline. Images that cannot be decoded are reported, not fatal.
 *
 *   const e = await embedImages(files, { backbone: 'mobilenetv2', size: 96 });
 *   e.features;  // Float32Array [e.rows.length × 1280], rows in the order of e.rows
 *   e.failed;    // [{ index: 17, file: '…/ab12.png', error: 'not a supported image …' }]
 */
import { OptionsError, ProgressBar, zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { PretrainedModelError } from '../errors.js';
import { defaultFeatureLayer, loadNsfwjsMobileNetV2 } from '../finetune/pretrained.js';
import { decodeImage } from '../image/decode.js';

export type EmbeddingBackbone = 'mobilenetv2' | 'pixels';

export interface EmbedImagesOptions {
  /** 'mobilenetv2' (pretrained, pooled 1280 features) or 'pixels' (grayscale, size×size). Default 'mobilenetv2'. */
  backbone?: EmbeddingBackbone;
  /** Side the images are resized to: a multiple of 32 for MobileNetV2 (default 96), any for pixels (default 28). */
  size?: number;
  /** Images per forward pass. Default 64. */
  batchSize?: number;
  /** A progress bar on stderr. Default false. */
  progress?: boolean;
}

const optionsSchema = z.object({
  backbone: z.enum(['mobilenetv2', 'pixels']).default('mobilenetv2'),
  size: z.number().int().positive().optional(),
  batchSize: z.number().int().positive().default(64),
  progress: z.boolean().default(false),
});

export interface ImageEmbeddings {
  /** Row-major [rows.length × dim]. */
  features: Float32Array;
  dim: number;
  /** Indices (into the files given) of the embedded images, in row order. */
  rows: number[];
  failed: Array<{ index: number; file: string; error: string }>;
  backbone: EmbeddingBackbone;
  size: number;
}

/** The input files decoded to [size, size, channels] uint8, or the decode error. */
async function decodeAll(
  files: readonly string[],
  size: number,
  channels: 1 | 3,
): Promise<Array<Uint8Array | Error>> {
  return Promise.all(
    files.map((f) =>
      decodeImage(f, { channels, resize: { width: size, height: size } }).then(
        (img) => img.data as Uint8Array,
        (err: unknown) => (err instanceof Error ? err : new Error(String(err))),
      ),
    ),
  );
}

/** The backbone cut at its last global average pooling. */
async function mobileNetFeatureModel(size: number): Promise<tf.LayersModel> {
  const base = await loadNsfwjsMobileNetV2({ inputSize: size });
  const pool = defaultFeatureLayer(base);
  if (!pool)
    throw new PretrainedModelError(`'${base.name}' has no pooled feature layer to embed images with`);
  return tf.model({
    inputs: base.inputs,
    outputs: pool.output as tf.SymbolicTensor,
    name: 'mobilenetv2-features',
  });
}

export async function embedImages(
  files: readonly string[],
  options: EmbedImagesOptions = {},
): Promise<ImageEmbeddings> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new OptionsError(zodMessage('embedImages options', parsed.error));
  const o = parsed.data;
  const mobile = o.backbone === 'mobilenetv2';
  const size = o.size ?? (mobile ? 96 : 28);
  if (mobile && size % 32 !== 0) {
    throw new OptionsError(
      `embedImages: size ${size} for mobilenetv2 must be a multiple of 32 (e.g. 96, 128, 224)`,
    );
  }
  const channels = mobile ? 3 : 1;
  const decoded = await decodeAll(files, size, channels);
  const rows: number[] = [];
  const failed: ImageEmbeddings['failed'] = [];
  decoded.forEach((d, index) => {
    if (d instanceof Error) failed.push({ index, file: files[index]!, error: d.message });
    else rows.push(index);
  });
  const pixels = size * size * channels;
  if (!mobile) {
    const features = new Float32Array(rows.length * pixels);
    rows.forEach((idx, r) => {
      const px = decoded[idx] as Uint8Array;
      for (let j = 0; j < pixels; j++) features[r * pixels + j] = px[j]! / 255;
    });
    return { features, dim: pixels, rows, failed, backbone: o.backbone, size };
  }
  const net = await mobileNetFeatureModel(size);
  const dim = (net.outputs[0]!.shape.at(-1) as number) ?? 1280;
  const features = new Float32Array(rows.length * dim);
  const bar = o.progress
    ? new ProgressBar({ total: rows.length, label: `embed ${o.backbone}`, unit: 'img' })
    : undefined;
  for (let start = 0; start < rows.length; start += o.batchSize) {
    const batch = rows.slice(start, start + o.batchSize);
    const buf = new Float32Array(batch.length * pixels);
    batch.forEach((idx, b) => {
      const px = decoded[idx] as Uint8Array;
      for (let j = 0; j < pixels; j++) buf[b * pixels + j] = px[j]! / 255;
    });
    const out = tf.tidy(() => net.predict(tf.tensor4d(buf, [batch.length, size, size, 3])) as tf.Tensor);
    features.set(await out.data(), start * dim);
    out.dispose();
    bar?.update(batch.length);
  }
  bar?.done();
  net.dispose();
  return { features, dim, rows, failed, backbone: o.backbone, size };
}
