/**
 * A streaming `DataSource` over image files for @dlpipe/tensor's `fit`: decodes each batch with
 * sharp as it is needed (a few files at a time), keeps up to `cacheSize` decoded images in an LRU
 * cache, applies a seeded augmentation, and skips (with a report naming the file) or fails on
 * images that cannot be decoded.
 *
 *   const train = imageSource(imageFolder('data/hotdog/train'), { size: [96, 96], batchSize: 32, shuffle: true });
 *   await fit(layersTask(net), train, { epochs: 5, optimizer: { name: 'sgd', lr: 0.01 } });
 */

import { Rng } from '@dlpipe/core';
import { type DataSource, tf, type XYBatch } from '@dlpipe/tensor';
import type { ImageTransform } from '../augment/transforms.js';
import { ImageDecodeError } from '../errors.js';
import { decodeImage, type ResizeFit } from '../image/decode.js';
import { imageToTensor } from '../image/tensor-image.js';
import type { ImageSample, ImageSet } from './types.js';

export interface ImageSourceOptions {
  /** Decoded size [height, width]: every image is resized to it. */
  size: [number, number];
  batchSize: number;
  /** Default false. */
  shuffle?: boolean;
  /** 1 or 3. Default 3. */
  channels?: 1 | 3;
  /** How images are fitted into `size`. Default 'exact'. */
  fit?: ResizeFit;
  /** Per-image augmentation (after decoding, on floats in [0, 1]). */
  transform?: ImageTransform;
  /** 'skip' reports the file through `onSkip` and leaves it out; 'fail' throws. Default 'skip'. */
  onError?: 'skip' | 'fail';
  /** Called once per unreadable file. Default: one line on stderr. */
  onSkip?: (error: ImageDecodeError) => void;
  /** Decoded images kept in memory (LRU). Default 2048. */
  cacheSize?: number;
  /** Files decoded at once. Default 8. */
  concurrency?: number;
}

/** The decode-on-demand source; `skipped` lists the files left out so far. */
export interface ImageDataSource extends DataSource<XYBatch> {
  readonly skipped: ReadonlyMap<string, ImageDecodeError>;
}

class LruCache<V> {
  private map = new Map<string, V>();
  constructor(private readonly capacity: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }
}

export function imageSource(set: ImageSet, options: ImageSourceOptions): ImageDataSource {
  const o = { channels: 3 as const, onError: 'skip' as const, cacheSize: 2048, concurrency: 8, ...options };
  const cache = new LruCache<Uint8Array>(o.cacheSize);
  const skipped = new Map<string, ImageDecodeError>();
  const [h, w] = o.size;
  const report =
    o.onSkip ?? ((e: ImageDecodeError) => process.stderr.write(`dlpipe-vision: skipping ${e.message}\n`));

  async function load(s: ImageSample): Promise<Uint8Array | undefined> {
    const hit = cache.get(s.path);
    if (hit) return hit;
    if (skipped.has(s.path)) return undefined;
    try {
      const img = await decodeImage(s.path, {
        channels: o.channels,
        resize: { width: w, height: h, fit: o.fit ?? 'exact' },
      });
      cache.set(s.path, img.data as Uint8Array);
      return img.data as Uint8Array;
    } catch (err) {
      if (!(err instanceof ImageDecodeError) || o.onError === 'fail') throw err;
      skipped.set(s.path, err);
      report(err);
      return undefined;
    }
  }

  async function batch(samples: ImageSample[], rng: Rng): Promise<XYBatch | undefined> {
    const pixels: Array<Uint8Array | undefined> = [];
    for (let i = 0; i < samples.length; i += o.concurrency) {
      pixels.push(...(await Promise.all(samples.slice(i, i + o.concurrency).map(load))));
    }
    const kept = samples.flatMap((s, i) => (pixels[i] ? [{ s, px: pixels[i] }] : []));
    if (kept.length === 0) return undefined;
    const images = kept.map(({ px }) =>
      imageToTensor({ data: px, width: w, height: h, channels: o.channels, bits: 8, format: 'raw' }),
    );
    const out = images.map((img) => (o.transform ? o.transform(img, rng) : img));
    const x = tf.stack(out);
    tf.dispose([...images, ...out]);
    return { x, y: tf.tensor1d(Int32Array.from(kept.map(({ s }) => s.label)), 'int32') };
  }

  const n = set.samples.length;
  const bs = Math.max(1, Math.floor(o.batchSize));
  return {
    length: Math.ceil(n / bs),
    skipped,
    async *batches(_epoch: number, rng: Rng) {
      const order = o.shuffle ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      for (let b = 0; b < n; b += bs) {
        const samples = Array.from(order.subarray(b, b + bs), (i) => set.samples[i]!);
        const xy = await batch(samples, rng);
        if (xy) yield xy;
      }
    },
  };
}

/** Decodes a whole (small) set into memory: x [n, h, w, c] in [0, 1], y int32; unreadable files skipped or fatal. */
export async function loadImageTensors(
  set: ImageSet,
  options: Omit<ImageSourceOptions, 'batchSize' | 'shuffle' | 'transform'>,
): Promise<{ x: tf.Tensor4D; y: tf.Tensor1D; samples: ImageSample[] }> {
  const src = imageSource(set, { ...options, batchSize: set.samples.length });
  for await (const b of src.batches(0, new Rng(0))) {
    const keptSamples = set.samples.filter((s) => !src.skipped.has(s.path));
    return { x: b.x as tf.Tensor4D, y: b.y as tf.Tensor1D, samples: keptSamples };
  }
  throw new ImageDecodeError(set.source, 'no image in the set could be decoded');
}
