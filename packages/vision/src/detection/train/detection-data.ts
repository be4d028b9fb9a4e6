/**
 * Where a detector's images come from: `resolveDetectionData` reads a split of a built-in set
 * (`bananas`, `emoji-10`, generated into the cache on first use), a set folder written by
 * `generateDetectionSet` (or any `annotations/<split>.json` + `images/<split>/` COCO layout), a
 * YOLO folder (`data.yaml`, `images/<split>/`, `labels/<split>/`) or a COCO JSON file;
 * `detectionImages` decodes it once, every image resized to the detector's square input, and
 * serves d2l's batches (`x` [B, S, S, 3] in [0, 1], `y` [B, maxObjects, 5] normalized corners,
 * padding rows -1) as a `DataSource<XYBatch>`.
 *
 *   const set = await resolveDetectionData('bananas', 'train');      // LoadedDetectionSet
 *   const data = await detectionImages(set, { imageSize: 256 });
 *   const train = data.source({ batchSize: 32, shuffle: true });
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '@dlpipe/core';
import { defaultCacheDir } from '@dlpipe/data';
import { type DataSource, tf, type XYBatch } from '@dlpipe/tensor';
import { DatasetError } from '../../errors.js';
import { decodeImage } from '../../image/decode.js';
import { readCocoDetections } from '../formats/coco-json.js';
import type { DetectionSet } from '../formats/detection-set.js';
import { readYoloDetections } from '../formats/yolo-txt.js';
import { detectionLabels, type LoadedDetectionSet, loadDetectionSet } from '../synth/load-set.js';
import { BUILTIN_SETS } from '../synth/set-specs.js';
import { type DetectionSplit, generateDetectionSet } from '../synth/write-set.js';

/** The built-in set names `--data` takes. */
export const BUILTIN_DETECTION_SETS = Object.keys(BUILTIN_SETS);

export interface ResolveDetectionDataOptions {
  /** Where built-in sets live (`<dir>/<name>/`). Default `<dlpipe cache>/datasets`. */
  cacheDir?: string;
  /** Seed of a built-in set generated on first use. Default 0. */
  seed?: number;
}

/** What `data` names, or why it names nothing usable (for one-line errors that list every problem). */
export function detectionDataProblem(data: string): string | undefined {
  if (BUILTIN_DETECTION_SETS.includes(data)) return undefined;
  if (!existsSync(data)) {
    return `${data}: no such set folder or file; expected a built-in set (${BUILTIN_DETECTION_SETS.join(', ')}), a set folder or a COCO JSON file`;
  }
  if (statSync(data).isFile())
    return data.endsWith('.json') ? undefined : `${data}: a file; expected a set folder or a COCO .json file`;
  if (existsSync(join(data, 'annotations')) || existsSync(join(data, 'data.yaml'))) return undefined;
  return `${data}: not a detection set: expected annotations/<split>.json (COCO) or data.yaml (YOLO) in it`;
}

/** A split of a built-in set, a set folder (COCO or YOLO layout) or a COCO JSON file, with paths to its images. */
export async function resolveDetectionData(
  data: string,
  split: DetectionSplit,
  o: ResolveDetectionDataOptions = {},
): Promise<LoadedDetectionSet> {
  const problem = detectionDataProblem(data);
  if (problem) throw new DatasetError(data, problem.slice(data.length + 2));
  if (BUILTIN_DETECTION_SETS.includes(data)) return builtinSet(data, split, o);
  if (statSync(data).isFile()) return fromDetectionSet(readCocoDetections(data), data);
  if (existsSync(join(data, 'annotations', `${split}.json`))) return loadDetectionSet(data, split);
  if (existsSync(join(data, 'data.yaml'))) return yoloSplit(data, split);
  throw new DatasetError(data, `has no '${split}' split: expected annotations/${split}.json or data.yaml`);
}

async function builtinSet(
  name: string,
  split: DetectionSplit,
  o: ResolveDetectionDataOptions,
): Promise<LoadedDetectionSet> {
  const dir = o.cacheDir ?? join(defaultCacheDir(), 'datasets');
  if (!existsSync(join(dir, name, 'annotations', 'val.json'))) {
    await generateDetectionSet({ name, out: dir, seed: o.seed ?? 0, overwrite: true });
  }
  return loadDetectionSet(join(dir, name), split);
}

/** The images of `images/<split>/` in a YOLO folder. */
async function yoloSplit(root: string, split: DetectionSplit): Promise<LoadedDetectionSet> {
  const all = await readYoloDetections(root);
  const images = all.images.filter((im) => im.file.startsWith(`${split}/`));
  if (images.length === 0) throw new DatasetError(root, `no images under images/${split}/`);
  return fromDetectionSet({ classNames: all.classNames, images }, root);
}

/** A formats `DetectionSet` with its image paths resolved (crowd boxes kept as plain boxes). */
function fromDetectionSet(set: DetectionSet, origin: string): LoadedDetectionSet {
  if (set.images.length === 0) throw new DatasetError(origin, 'has no images');
  return {
    classNames: set.classNames,
    images: set.images.map((im) => ({
      file: im.source ?? im.file,
      width: im.width,
      height: im.height,
      boxes: im.boxes.map(({ x1, y1, x2, y2, classId }) => ({ x1, y1, x2, y2, classId })),
    })),
  };
}

export interface DetectionImagesOptions {
  /** Square side every image is resized to (stretched, so normalized boxes stay right). */
  imageSize: number;
  /** Label rows per image. Default: the most boxes of any image. */
  maxObjects?: number;
}

export interface DetectionSourceOptions {
  batchSize: number;
  /** Default false. */
  shuffle?: boolean;
  /**
   * Mirror each image left–right with probability 0.5 (boxes mirrored with it), drawn from the
   * epoch's rng after the shuffle, so a seed gives the same batches. Default false.
   */
  flip?: boolean;
}

/** A `DataSource` whose batches come synchronously (what `fit` takes, and easy to iterate). */
export interface DetectionSource extends DataSource<XYBatch> {
  readonly length: number;
  batches(epoch: number, rng: Rng): Iterable<XYBatch>;
}

/** A decoded split: RGB bytes at the detector's size and d2l's label rows. */
export interface DetectionImages {
  readonly set: LoadedDetectionSet;
  readonly imageSize: number;
  readonly maxObjects: number;
  /** Images `from`…`to` (exclusive) as [n, S, S, 3] in [0, 1]. */
  images(from: number, to: number): tf.Tensor4D;
  /** One image's RGB bytes at S×S. */
  pixels(i: number): Uint8Array;
  /** Mini-batches for `fit` (deterministic per epoch when shuffled). */
  source(o: DetectionSourceOptions): DetectionSource;
}

/** Decodes every image of `set` once at `imageSize`² (bytes: a quarter of float memory). */
export async function detectionImages(
  set: LoadedDetectionSet,
  o: DetectionImagesOptions,
): Promise<DetectionImages> {
  const S = o.imageSize;
  const px = S * S * 3;
  const n = set.images.length;
  if (n === 0) throw new DatasetError('(set)', 'has no images');
  const bytes = new Uint8Array(n * px);
  for (const [i, im] of set.images.entries()) {
    const d = await decodeImage(im.file, { channels: 3, resize: { width: S, height: S } });
    bytes.set(d.data as Uint8Array, i * px);
  }
  const { data, maxObjects } = detectionLabels(set, o.maxObjects);
  const toFloat = (idx: ArrayLike<number>, mirrored?: Uint8Array) => {
    const x = new Float32Array(idx.length * px);
    for (let j = 0; j < idx.length; j++) {
      const off = idx[j]! * px;
      if (mirrored?.[j]) {
        for (let r = 0; r < S; r++) {
          const row = off + r * S * 3;
          const out = j * px + r * S * 3;
          for (let c = 0; c < S; c++) {
            const from = row + (S - 1 - c) * 3;
            x[out + c * 3] = bytes[from]! / 255;
            x[out + c * 3 + 1] = bytes[from + 1]! / 255;
            x[out + c * 3 + 2] = bytes[from + 2]! / 255;
          }
        }
      } else for (let p = 0; p < px; p++) x[j * px + p] = bytes[off + p]! / 255;
    }
    return tf.tensor4d(x, [idx.length, S, S, 3]);
  };
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);
  return {
    set,
    imageSize: S,
    maxObjects,
    images: (from, to) => toFloat(range(from, Math.min(n, to))),
    pixels: (i) => bytes.subarray(i * px, (i + 1) * px),
    source: ({ batchSize, shuffle, flip }) => ({
      length: Math.ceil(n / batchSize),
      *batches(_epoch: number, rng: Rng) {
        const order = shuffle ? rng.permutation(n) : Int32Array.from(range(0, n));
        const mirror = new Uint8Array(n);
        if (flip) for (let i = 0; i < n; i++) mirror[i] = rng.next() < 0.5 ? 1 : 0;
        for (let s = 0; s < n; s += batchSize) {
          const idx = order.subarray(s, Math.min(n, s + batchSize));
          const mirrored = mirror.subarray(s, Math.min(n, s + batchSize));
          const y = new Float32Array(idx.length * maxObjects * 5);
          idx.forEach((k, j) => {
            const rows = data.subarray(k * maxObjects * 5, (k + 1) * maxObjects * 5);
            y.set(rows, j * maxObjects * 5);
            if (!mirrored[j]) return;
            for (let m = 0; m < maxObjects; m++) {
              const r = j * maxObjects * 5 + m * 5;
              if (y[r]! < 0) continue; // padding row
              y[r + 1] = 1 - rows[m * 5 + 3]!;
              y[r + 3] = 1 - rows[m * 5 + 1]!;
            }
          });
          yield { x: toFloat(idx, mirrored), y: tf.tensor3d(y, [idx.length, maxObjects, 5]) };
        }
      },
    }),
  };
}
