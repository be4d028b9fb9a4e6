/**
 * Test fixtures of the detection runs (not exported from the package): a small real `Detector`
 * that keeps the contract of detection/model/detector.ts — two strided convolutions and two dense
 * layers regressing one box (corners through a sigmoid) and classifying it, trained with L1 +
 * cross-entropy — and `writeRectSet`, a generated-set folder (annotations/<split>.json +
 * images/<split>/) of one coloured rectangle per noisy image, its class given by its colour.
 *
 *   const det = fixtureDetector({ arch: 'tinyssd', numClasses: 2, imageSize: 32 });
 *   await writeRectSet(dir, { train: 64, val: 16 });
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@dlpipe/core';
import { type LossOutput, tf, type XYBatch } from '@dlpipe/tensor';
import sharp from 'sharp';
import { type Detection, type Detector, type DetectorConfig, saveDetector } from '../model/detector.js';

/** A one-box detector: conv 3×3/2 (8) → conv 3×3/2 (16) → dense 64 → dense 4 + numClasses. */
export function fixtureDetector(config: DetectorConfig): Detector {
  const S = config.imageSize;
  const K = config.numClasses;
  const flat = Math.ceil(S / 4) ** 2 * 16;
  const v = (shape: number[], fanIn: number) => tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn)));
  const zeros = (n: number) => tf.variable(tf.zeros([n]));
  const w: Record<string, tf.Variable> = {
    c1: v([3, 3, 3, 8], 27),
    b1: zeros(8),
    c2: v([3, 3, 8, 16], 72),
    b2: zeros(16),
    d1: v([flat, 64], flat),
    e1: zeros(64),
    d2: v([64, 4 + K], 64),
    e2: zeros(4 + K),
  };
  const forward = (x: tf.Tensor4D) => {
    const h1 = tf.relu(tf.add(tf.conv2d(x, w.c1 as tf.Tensor4D, 2, 'same'), w.b1!));
    const h2 = tf.relu(tf.add(tf.conv2d(h1 as tf.Tensor4D, w.c2 as tf.Tensor4D, 2, 'same'), w.b2!));
    const h3 = tf.relu(tf.add(tf.matMul(tf.reshape(h2, [x.shape[0], flat]), w.d1!), w.e1!));
    const out = tf.add(tf.matMul(h3, w.d2!), w.e2!);
    return { box: tf.sigmoid(tf.slice(out, [0, 0], [-1, 4])), logits: tf.slice(out, [0, 4], [-1, K]) };
  };
  const vars = Object.values(w);
  const det: Detector = {
    config,
    trainableVariables: () => vars,
    stateTensors: () => vars,
    namedWeights: () => ({ ...w }),
    batchSize: (b: XYBatch) => (b.x as tf.Tensor).shape[0]!,
    loss(batch: XYBatch): LossOutput {
      const { box, logits } = forward(batch.x as tf.Tensor4D);
      const first = tf.squeeze(tf.slice(batch.y, [0, 0, 0], [-1, 1, 5]), [1]);
      const boxLoss = tf.mean(tf.abs(tf.sub(box, tf.slice(first, [0, 1], [-1, 4]))));
      const cls = tf.oneHot(tf.cast(tf.reshape(tf.slice(first, [0, 0], [-1, 1]), [-1]), 'int32'), K);
      return { loss: tf.add(tf.mul(boxLoss, 5), tf.losses.softmaxCrossEntropy(cls, logits)) as tf.Scalar };
    },
    async detect(images, o = {}) {
      const [boxes, probs] = tf.tidy(() => {
        const { box, logits } = forward(images);
        return [box, tf.softmax(logits)] as [tf.Tensor2D, tf.Tensor2D];
      });
      const [b, p] = [await boxes.array(), await probs.array()];
      tf.dispose([boxes, probs]);
      return b.map((corners, i): Detection[] => {
        const scores = p[i]!;
        const classId = scores.indexOf(Math.max(...scores));
        const d = { classId, score: scores[classId]!, box: corners as Detection['box'] };
        return d.score >= (o.scoreThreshold ?? 0.05) && (o.maxDetections ?? 100) > 0 ? [d] : [];
      });
    },
    saveModel: (dir) => saveDetector(dir, det),
    dispose: () => tf.dispose(vars),
  };
  return det;
}

export interface RectSetOptions {
  train: number;
  val: number;
  /** Image sides to draw from (any size: detectors resize). Default [32]. */
  sizes?: number[];
  seed?: number;
}

/** Class 0 'red', class 1 'blue': one rectangle (a quarter to half of each side) per noisy grey image. */
export async function writeRectSet(dir: string, o: RectSetOptions): Promise<void> {
  const rng = new Rng(o.seed ?? 1);
  const sizes = o.sizes ?? [32];
  const colors = [
    [220, 40, 40],
    [40, 60, 220],
  ];
  mkdirSync(join(dir, 'annotations'), { recursive: true });
  for (const split of ['train', 'val'] as const) {
    mkdirSync(join(dir, 'images', split), { recursive: true });
    const images = [];
    const annotations = [];
    for (let i = 0; i < o[split]; i++) {
      const W = sizes[rng.int(sizes.length)]!;
      const H = sizes[rng.int(sizes.length)]!;
      const bw = Math.round(W * (0.25 + rng.next() / 4));
      const bh = Math.round(H * (0.25 + rng.next() / 4));
      const x = rng.int(W - bw + 1);
      const y = rng.int(H - bh + 1);
      const c = rng.int(2);
      const px = new Uint8Array(W * H * 3);
      for (let p = 0; p < W * H; p++) {
        const inside = p % W >= x && p % W < x + bw && Math.floor(p / W) >= y && Math.floor(p / W) < y + bh;
        for (let ch = 0; ch < 3; ch++) px[p * 3 + ch] = inside ? colors[c]![ch]! : 100 + rng.int(60);
      }
      const file = `${String(i).padStart(4, '0')}.png`;
      await sharp(px, { raw: { width: W, height: H, channels: 3 } })
        .png()
        .toFile(join(dir, 'images', split, file));
      images.push({ id: i + 1, file_name: file, width: W, height: H });
      annotations.push({
        id: i + 1,
        image_id: i + 1,
        category_id: c + 1,
        bbox: [x, y, bw, bh],
        area: bw * bh,
        iscrowd: 0,
      });
    }
    const categories = [
      { id: 1, name: 'red' },
      { id: 2, name: 'blue' },
    ];
    writeFileSync(
      join(dir, 'annotations', `${split}.json`),
      JSON.stringify({ images, annotations, categories }),
    );
  }
}
