/**
 * d2l §14.7's TinySSD as a `Detector`: `forward` is d2l's `net(X)` (anchors, class logits, box
 * offsets), `loss` is d2l's training step (targets by `multiboxTarget`, `calcLoss` per image, then
 * the mean over the batch as d2l's `l.mean().backward()`), and `detect` is d2l's prediction
 * (softmax, `multiboxDetection` with NMS over all classes together, as d2l). Importing this module
 * registers the architecture, so `createDetector({ arch: 'tinyssd', … })` and `loadDetector` know it.
 *
 *   const det = new TinySsd({ arch: 'tinyssd', numClasses: 1, imageSize: 256 });
 *   await fit(det, train, { epochs: 20, optimizer: { name: 'sgdw', lr: 0.2, weightDecay: 5e-4 },
 *                           metrics: [new ClassErrorMetric(), new BboxMaeMetric()] });
 *   const [boxes] = await det.detect(images, { scoreThreshold: 0.9 });
 *
 * The loss returns packed predictions and targets (`packPredictions` / `packTargets`) so that
 * `ClassErrorMetric` and `BboxMaeMetric` report d2l's `class err` and `bbox mae` on the training
 * batches. Batch norm uses batch statistics in training and its moving statistics otherwise.
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { type LossOutput, tf, type XYBatch } from '@dlpipe/tensor';
import { z } from 'zod';
import { DetectionError } from '../boxes/errors.js';
import { multiboxDetection } from '../boxes/multibox-detection.js';
import { multiboxTarget } from '../boxes/multibox-target.js';
import {
  type Detection,
  type DetectOptions,
  type Detector,
  type DetectorConfig,
  registerDetector,
  saveDetector,
} from '../model/detector.js';
import { calcLoss, packPredictions, packTargets } from './loss.js';
import { checkTinySsdOptions, tinySsdAnchors, tinySsdNet, tinySsdWeightName } from './net.js';

/** d2l's `net(X)` without the anchors (`TinySsd.anchors`): class logits [B, A, C+1], box offsets [B, A·4]. */
export interface TinySsdOutput {
  clsPreds: tf.Tensor3D;
  bboxPreds: tf.Tensor2D;
}

const detectOptionsSchema = z.strictObject({
  scoreThreshold: z.number().min(0).max(1).optional(),
  iouThreshold: z.number().min(0).max(1).optional(),
  maxDetections: z.number().int().positive().optional(),
});

/** Images per forward pass in `detect` (bounds the activations' memory). */
const DETECT_CHUNK = 32;

export class TinySsd implements Detector {
  readonly config: DetectorConfig;
  /** The Layers network (five class maps, then five box maps). */
  readonly net: tf.LayersModel;
  /** d2l's anchors of all five scales, [1, A, 4]; owned by the detector (disposed by `dispose`). */
  readonly anchors: tf.Tensor3D;

  constructor(config: DetectorConfig) {
    if (config.arch !== 'tinyssd') {
      throw new DetectionError(`TinySsd: config.arch must be 'tinyssd', received '${String(config.arch)}'`);
    }
    checkTinySsdOptions(config);
    if (config.classNames && config.classNames.length !== config.numClasses) {
      throw new DetectionError(
        `TinySsd: ${config.classNames.length} classNames for numClasses ${config.numClasses}; give one name per class`,
      );
    }
    this.config = { ...config };
    this.net = tinySsdNet(config);
    this.anchors = tinySsdAnchors(config.imageSize);
  }

  /** Anchors per image (5,444 for a 256 input). */
  get numAnchors(): number {
    return this.anchors.shape[1];
  }

  /** d2l's `TinySSD.forward`: predictions flattened in the anchors' order. */
  forward(x: tf.Tensor4D, training: boolean): TinySsdOutput {
    return tf.tidy(() => {
      const outs = this.net.apply(x, { training }) as tf.Tensor4D[];
      const b = x.shape[0];
      const c = this.config.numClasses + 1;
      const cls = outs.slice(0, 5).map((t) => t.reshape([b, -1]));
      const bbox = outs.slice(5).map((t) => t.reshape([b, -1]));
      return {
        clsPreds: tf.concat(cls, 1).reshape([b, -1, c]) as tf.Tensor3D,
        bboxPreds: tf.concat(bbox, 1) as tf.Tensor2D,
      };
    });
  }

  trainableVariables(): tf.Variable[] {
    return this.net.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  stateTensors(): tf.Variable[] {
    return this.net.weights.map((w) => w.read() as tf.Variable);
  }

  namedWeights(): Record<string, tf.Variable> {
    return Object.fromEntries(this.net.weights.map((w) => [tinySsdWeightName(w), w.read() as tf.Variable]));
  }

  batchSize(batch: XYBatch): number {
    return batch.y.shape[0] ?? 0;
  }

  /** Mean over the batch of d2l's per-image `calc_loss`; yHat/y packed for the class/box metrics. */
  loss(batch: XYBatch, ctx: { training: boolean }): LossOutput {
    const x = this.checkImages(batch.x, 'loss');
    this.checkLabels(batch.y, x.shape[0]);
    const { clsPreds, bboxPreds } = this.forward(x, ctx.training);
    const { bboxOffset, bboxMask, classLabels } = multiboxTarget(this.anchors, batch.y as tf.Tensor3D);
    const perImage = calcLoss(clsPreds, classLabels, bboxPreds, bboxOffset, bboxMask);
    return {
      loss: tf.mean(perImage) as tf.Scalar,
      yHat: packPredictions(clsPreds, bboxPreds),
      y: packTargets(classLabels, bboxOffset, bboxMask),
    };
  }

  async detect(images: tf.Tensor4D, options: DetectOptions = {}): Promise<Detection[][]> {
    const r = detectOptionsSchema.safeParse(options);
    if (!r.success) throw new OptionsError(zodMessage('TinySsd.detect options', r.error));
    const o = { scoreThreshold: 0.05, iouThreshold: 0.5, maxDetections: 100, ...r.data };
    this.checkImages(images, 'detect');
    const out: Detection[][] = [];
    for (let s = 0; s < images.shape[0]; s += DETECT_CHUNK) {
      const n = Math.min(DETECT_CHUNK, images.shape[0] - s);
      const [probs, offsets] = tf.tidy(() => {
        const f = this.forward(images.slice([s, 0, 0, 0], [n, -1, -1, -1]), false);
        return [tf.softmax(f.clsPreds, -1).transpose([0, 2, 1]) as tf.Tensor3D, f.bboxPreds];
      });
      const rows = await multiboxDetection(probs, offsets, this.anchors, { nmsThreshold: o.iouThreshold });
      const data = await rows.data();
      tf.dispose([probs, offsets, rows]);
      for (let i = 0; i < n; i++) out.push(keptRows(data, i, this.numAnchors, o));
    }
    return out;
  }

  async saveModel(dir: string): Promise<void> {
    await saveDetector(dir, this);
  }

  dispose(): void {
    this.net.dispose();
    this.anchors.dispose();
  }

  /** Throws unless `x` is one [B, S, S, 3] float tensor (S = imageSize) without NaN. */
  private checkImages(x: tf.Tensor | tf.Tensor[], what: string): tf.Tensor4D {
    const s = this.config.imageSize;
    if (Array.isArray(x) || x.rank !== 4 || x.shape[1] !== s || x.shape[2] !== s || x.shape[3] !== 3) {
      const got = Array.isArray(x) ? `${x.length} tensors` : `shape [${x.shape.join(', ')}]`;
      throw new DetectionError(
        `TinySsd.${what}: expected images [batch, ${s}, ${s}, 3] (the model's imageSize ${s}, RGB in [0, 1]), ` +
          `received ${got}; resize the images to ${s}×${s} or build the model for their size`,
      );
    }
    const bad = tf.tidy(() => tf.isNaN(tf.sum(x)));
    const isBad = bad.dataSync()[0] === 1;
    bad.dispose();
    if (isBad) throw new DetectionError(`TinySsd.${what}: the images hold NaN or infinite values`);
    return x as tf.Tensor4D;
  }

  /** Throws unless `y` is [B, G, 5] rows (class, x1, y1, x2, y2), classes < numClasses, no NaN. */
  private checkLabels(y: tf.Tensor, batch: number): void {
    if (y.rank !== 3 || y.shape[0] !== batch || y.shape[2] !== 5) {
      throw new DetectionError(
        `TinySsd.loss: expected labels [${batch}, maxObjects, 5] rows (class, x1, y1, x2, y2) with padding rows -1, ` +
          `received shape [${y.shape.join(', ')}]`,
      );
    }
    if (y.size === 0) return;
    const stats = tf.tidy(() =>
      tf.stack([tf.any(tf.isNaN(y)).toFloat(), tf.max(y.slice([0, 0, 0], [-1, -1, 1]))]),
    );
    const [nan, maxClass] = stats.dataSync() as Float32Array;
    stats.dispose();
    if (nan === 1)
      throw new DetectionError('TinySsd.loss: the labels hold NaN; boxes must be finite numbers');
    if ((maxClass ?? 0) >= this.config.numClasses) {
      throw new DetectionError(
        `TinySsd.loss: label class ${maxClass} but the model has numClasses ${this.config.numClasses} (classes 0…${this.config.numClasses - 1}, -1 for padding)`,
      );
    }
  }
}

/** Image `i`'s kept rows of `multiboxDetection`'s output, as Detections (boxes clipped to [0, 1]). */
function keptRows(
  data: ArrayLike<number>,
  i: number,
  numAnchors: number,
  o: Required<DetectOptions>,
): Detection[] {
  const dets: Detection[] = [];
  const clip = (v: number) => Math.min(1, Math.max(0, v));
  for (let a = 0; a < numAnchors && dets.length < o.maxDetections; a++) {
    const k = (i * numAnchors + a) * 6;
    const cls = data[k] as number;
    const score = data[k + 1] as number;
    if (cls < 0) break; // kept rows come first, by decreasing score
    if (score < o.scoreThreshold) break;
    const [x1, y1, x2, y2] = [2, 3, 4, 5].map((j) => clip(data[k + j] as number)) as [
      number,
      number,
      number,
      number,
    ];
    dets.push({ classId: cls, score, box: [x1, y1, x2, y2] });
  }
  return dets;
}

registerDetector('tinyssd', (config) => new TinySsd(config));
