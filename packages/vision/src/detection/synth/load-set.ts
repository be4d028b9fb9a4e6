/**
 * Reading a generated detection set back: `loadDetectionSet` gives the images with their boxes
 * (from `annotations/<split>.json`), `detectionTensors` the tensors d2l's banana loader gives
 * (images [N, H, W, 3] in [0, 1]; labels [N, maxObjects, 5] rows (class, x1, y1, x2, y2) with
 * corners divided by the image size, padding rows all -1), `detectionDataSource` the same as
 * mini-batches decoded once into bytes (a quarter of the float memory), and `loadDataBananas`
 * is d2l's `load_data_bananas`: it generates the banana set on first use, then loads it.
 *
 *   const { train, val } = await loadDataBananas(32);            // DataSource<XYBatch> each
 *   const set = loadDetectionSet('datasets/emoji-10', 'val');
 *   const { images, labels } = await detectionTensors(set);       // [500,256,256,3], [500,6,5]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Rng, zodMessage } from '@dlpipe/core';
import { defaultCacheDir } from '@dlpipe/data';
import { type DataSource, tf, type XYBatch } from '@dlpipe/tensor';
import { z } from 'zod';
import { DatasetError } from '../../errors.js';
import { decodeImage } from '../../image/decode.js';
import type { BackgroundChoice } from './backgrounds.js';
import { type DetectionSplit, generateDetectionSet } from './write-set.js';

/** A box in pixel corner coordinates with its class (from 0). */
export interface LabeledBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  classId: number;
}

export interface DetectionSetImage {
  /** Absolute or `dir`-joined path of the image file. */
  file: string;
  width: number;
  height: number;
  boxes: LabeledBox[];
}

export interface LoadedDetectionSet {
  classNames: string[];
  images: DetectionSetImage[];
}

const cocoSchema = z.object({
  images: z.array(
    z.object({
      id: z.number().int(),
      file_name: z.string().min(1),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    }),
  ),
  annotations: z.array(
    z.object({
      image_id: z.number().int(),
      category_id: z.number().int().min(1),
      bbox: z.tuple([z.number(), z.number(), z.number().min(0), z.number().min(0)]),
    }),
  ),
  categories: z.array(z.object({ id: z.number().int().min(1), name: z.string() })).min(1),
});

/** Reads `dir/annotations/<split>.json` (the COCO file `generateDetectionSet` writes). */
export function loadDetectionSet(dir: string, split: DetectionSplit): LoadedDetectionSet {
  const file = join(dir, 'annotations', `${split}.json`);
  if (!existsSync(file)) {
    throw new DatasetError(
      file,
      `missing: expected a set written by generateDetectionSet (split '${split}'); generate it first`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DatasetError(file, `not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const r = cocoSchema.safeParse(raw);
  if (!r.success) throw new DatasetError(file, zodMessage('COCO annotations', r.error));
  const cats = [...r.data.categories].sort((a, b) => a.id - b.id);
  const classOf = new Map(cats.map((c, i) => [c.id, i]));
  const images = new Map(
    r.data.images.map((im) => [
      im.id,
      {
        file: join(dir, 'images', split, im.file_name),
        width: im.width,
        height: im.height,
        boxes: [] as LabeledBox[],
      },
    ]),
  );
  for (const a of r.data.annotations) {
    const im = images.get(a.image_id);
    const classId = classOf.get(a.category_id);
    if (!im || classId === undefined) {
      throw new DatasetError(
        file,
        `annotation of image ${a.image_id}, category ${a.category_id}: no such image or category`,
      );
    }
    const [x, y, w, h] = a.bbox;
    im.boxes.push({ x1: x, y1: y, x2: x + w, y2: y + h, classId });
  }
  return { classNames: cats.map((c) => c.name), images: [...images.values()] };
}

/** The labels array [N, maxObjects, 5]: (class, x1/W, y1/H, x2/W, y2/H), padding rows -1. */
export function detectionLabels(
  set: LoadedDetectionSet,
  maxObjects?: number,
): { data: Float32Array; maxObjects: number } {
  const m = maxObjects ?? Math.max(1, ...set.images.map((im) => im.boxes.length));
  const data = new Float32Array(set.images.length * m * 5).fill(-1);
  set.images.forEach((im, i) => {
    if (im.boxes.length > m) {
      throw new DatasetError(
        im.file,
        `has ${im.boxes.length} boxes but maxObjects is ${m}; raise maxObjects`,
      );
    }
    im.boxes.forEach((b, j) => {
      data.set(
        [b.classId, b.x1 / im.width, b.y1 / im.height, b.x2 / im.width, b.y2 / im.height],
        (i * m + j) * 5,
      );
    });
  });
  return { data, maxObjects: m };
}

/** Decodes every image to RGB bytes, one block [N, H, W, 3]; all images must share one size. */
async function decodeAll(set: LoadedDetectionSet): Promise<{ bytes: Uint8Array; h: number; w: number }> {
  const first = set.images[0];
  if (!first) throw new DatasetError('(set)', 'has no images');
  const { width: w, height: h } = first;
  const bytes = new Uint8Array(set.images.length * h * w * 3);
  for (const [i, im] of set.images.entries()) {
    const d = await decodeImage(im.file, { channels: 3 });
    if (d.width !== w || d.height !== h) {
      throw new DatasetError(
        im.file,
        `is ${d.width}×${d.height}, the set's first image ${w}×${h}: images must share one size`,
      );
    }
    bytes.set(d.data as Uint8Array, i * h * w * 3);
  }
  return { bytes, h, w };
}

/** Images [N, H, W, 3] in [0, 1] and labels [N, maxObjects, 5] (d2l's `read_data_bananas`, NHWC). */
export async function detectionTensors(
  set: LoadedDetectionSet,
  o: { maxObjects?: number } = {},
): Promise<{ images: tf.Tensor4D; labels: tf.Tensor3D }> {
  const { bytes, h, w } = await decodeAll(set);
  const { data, maxObjects } = detectionLabels(set, o.maxObjects);
  const n = set.images.length;
  const f = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) f[i] = bytes[i]! / 255;
  return { images: tf.tensor4d(f, [n, h, w, 3]), labels: tf.tensor3d(data, [n, maxObjects, 5]) };
}

export interface DetectionDataSourceOptions {
  batchSize: number;
  /** Default false. */
  shuffle?: boolean;
  /** Label rows per image. Default: the most boxes of any image. */
  maxObjects?: number;
}

/** A `DataSource<XYBatch>` whose batches come synchronously, with its label rows per image. */
export interface DetectionDataSource extends DataSource<XYBatch> {
  readonly length: number;
  readonly maxObjects: number;
  batches(epoch: number, rng: Rng): Generator<XYBatch>;
}

/** Mini-batches `{ x: [B, H, W, 3] in [0, 1], y: [B, maxObjects, 5] }`, pixels kept as bytes between batches. */
export async function detectionDataSource(
  set: LoadedDetectionSet,
  o: DetectionDataSourceOptions,
): Promise<DetectionDataSource> {
  if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1)) {
    throw new DatasetError('(options)', `batchSize must be a positive integer, received ${o.batchSize}`);
  }
  const { bytes, h, w } = await decodeAll(set);
  const { data, maxObjects } = detectionLabels(set, o.maxObjects);
  const n = set.images.length;
  const px = h * w * 3;
  const bs = o.batchSize;
  return {
    length: Math.ceil(n / bs),
    maxObjects,
    *batches(_epoch: number, rng: Rng) {
      const order = o.shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      for (let s = 0; s < n; s += bs) {
        const idx = order.subarray(s, Math.min(n, s + bs));
        const x = new Float32Array(idx.length * px);
        const y = new Float32Array(idx.length * maxObjects * 5);
        idx.forEach((k, j) => {
          for (let p = 0; p < px; p++) x[j * px + p] = bytes[k * px + p]! / 255;
          y.set(data.subarray(k * maxObjects * 5, (k + 1) * maxObjects * 5), j * maxObjects * 5);
        });
        yield { x: tf.tensor4d(x, [idx.length, h, w, 3]), y: tf.tensor3d(y, [idx.length, maxObjects, 5]) };
      }
    },
  };
}

export interface LoadDataBananasOptions {
  /** Where the set lives (`<dir>/bananas/`). Default `<dlpipe cache>/datasets`. */
  dir?: string;
  /** Seed used when the set must be generated. Default 0. */
  seed?: number;
  /** Background photos used when generating. Default 'all'. */
  backgrounds?: BackgroundChoice;
}

/** d2l's `load_data_bananas`: train (shuffled) and val mini-batches, generating the set on first use. */
export async function loadDataBananas(
  batchSize: number,
  o: LoadDataBananasOptions = {},
): Promise<{ train: DetectionDataSource; val: DetectionDataSource; classNames: string[] }> {
  const dir = o.dir ?? join(defaultCacheDir(), 'datasets');
  const setDir = join(dir, 'bananas');
  if (!existsSync(join(setDir, 'annotations', 'val.json'))) {
    await generateDetectionSet({
      name: 'bananas',
      out: dir,
      seed: o.seed ?? 0,
      backgrounds: o.backgrounds,
      overwrite: true,
    });
  }
  const train = loadDetectionSet(setDir, 'train');
  return {
    train: await detectionDataSource(train, { batchSize, shuffle: true }),
    val: await detectionDataSource(loadDetectionSet(setDir, 'val'), { batchSize }),
    classNames: train.classNames,
  };
}
