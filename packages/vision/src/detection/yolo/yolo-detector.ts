/**
 * The YOLO detector (`arch: 'yolo'`): YOLOv8's anchor-free design — one point per cell of the
 * stride 8/16/32 grids, a decoupled head predicting box-side distances and class scores (no
 * objectness), task-aligned assignment, CIoU + BCE loss, sigmoid scores and class-aware NMS —
 * on a small residual backbone trained from scratch (yolo-net.ts). Importing this module
 * registers it, so `createDetector({ arch: 'yolo', … })` and `loadDetector` know it.
 *
 * Why from scratch rather than nsfwjs's pretrained MobileNetV2: emoji-10 is flat sprites pasted
 * on photos, far from ImageNet's objects; this net costs ~0.47 GMAC per 256 px image (about
 * MobileNetV2's at 256 px, whose depthwise convolutions use CPU cores poorly), it needs no
 * multi-output surgery on a Layers model, and the same layers are simple to rebuild in PyTorch
 * for the timing comparison (bench/detection_torch.py). No DFL: boxes are direct ltrb distances
 * (softplus), as YOLOv6's small models; `bnMomentum` and the widths are in the config.
 *
 *   import { createDetector, fit } from '@dlpipe/vision';   // (fit from @dlpipe/tensor)
 *   const det = createDetector({ arch: 'yolo', numClasses: 10, imageSize: 256 });
 *   await fit(det, train, { epochs: 30, optimizer: { name: 'adamw', lr: 1e-3, weightDecay: 5e-4 } });
 *   const [dets] = await det.detect(images, { scoreThreshold: 0.25 });
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { type LossOutput, tf, type XYBatch } from '@dlpipe/tensor';
import { z } from 'zod';
import { DetectionError } from '../boxes/errors.js';
import {
  type Detection,
  type DetectOptions,
  type Detector,
  type DetectorConfig,
  registerDetector,
  saveDetector,
} from '../model/detector.js';
import { type AnchorGrid, anchorPoints } from './dist-boxes.js';
import { predictedBoxes, yoloLoss } from './yolo-loss.js';
import { YOLO_STRIDES, YoloNet } from './yolo-net.js';
import { yoloPostprocess } from './yolo-postprocess.js';

const even = z.number().int().min(2).multipleOf(2);

/** The YOLO config: `DetectorConfig` plus the network's widths, loss gains and assigner settings. */
export const yoloConfigSchema = z.object({
  arch: z.literal('yolo'),
  numClasses: z.number().int().min(1),
  imageSize: z.number().int().min(32).multipleOf(32),
  classNames: z.array(z.string()).optional(),
  /** Channels of stem, down1 … down4 (down2 … down4 even: their bottlenecks halve them). */
  widths: z
    .tuple([z.number().int().min(1), z.number().int().min(1), even, even, even])
    .default([16, 32, 64, 128, 256]),
  neckWidth: z.number().int().min(1).default(64),
  headWidth: z.number().int().min(1).default(64),
  /** Batch-norm momentum (PyTorch convention). 0.1 (PyTorch's); Ultralytics' 0.03 suits hundreds of epochs. */
  bnMomentum: z.number().gt(0).max(1).default(0.1),
  gains: z
    .object({ box: z.number().min(0).default(7.5), cls: z.number().min(0).default(0.5) })
    .default({ box: 7.5, cls: 0.5 }),
  assigner: z
    .object({
      topk: z.number().int().min(1).default(10),
      alpha: z.number().default(0.5),
      beta: z.number().default(6),
    })
    .default({ topk: 10, alpha: 0.5, beta: 6 }),
});

export type YoloConfigInput = z.input<typeof yoloConfigSchema>;
export type YoloConfig = z.output<typeof yoloConfigSchema>;

/** The parsed config with every default filled in (`OptionsError` on bad values). */
export function parseYoloConfig(config: DetectorConfig | YoloConfigInput): YoloConfig {
  const r = yoloConfigSchema.safeParse(config);
  if (!r.success) throw new OptionsError(zodMessage('yolo detector config', r.error));
  return r.data;
}

export class YoloDetector implements Detector {
  readonly config: YoloConfig & DetectorConfig;
  readonly net: YoloNet;
  readonly grid: AnchorGrid;

  constructor(config: DetectorConfig | YoloConfigInput) {
    this.config = parseYoloConfig(config);
    const { numClasses, imageSize, widths, neckWidth, headWidth, bnMomentum } = this.config;
    this.net = new YoloNet({ numClasses, imageSize, widths, neckWidth, headWidth, bnMomentum });
    this.grid = anchorPoints(imageSize, YOLO_STRIDES);
  }

  trainableVariables(): tf.Variable[] {
    return this.net.trainableVariables();
  }

  stateTensors(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  namedWeights(): Record<string, tf.Variable> {
    return this.net.namedWeights();
  }

  batchSize(batch: XYBatch): number {
    return (Array.isArray(batch.x) ? batch.x[0] : batch.x)?.shape[0] ?? 0;
  }

  loss(batch: XYBatch, ctx: { training: boolean }): LossOutput {
    const x = this.checkImages(Array.isArray(batch.x) ? batch.x[0] : batch.x, 'loss');
    const labels = this.checkLabels(batch.y, x.shape[0]);
    const { box, cls } = this.net.apply(x, ctx.training);
    const parts = yoloLoss({
      dist: box,
      logits: cls,
      grid: this.grid,
      labels,
      imageSize: this.config.imageSize,
      gains: this.config.gains,
      assigner: this.config.assigner,
    });
    return { loss: parts.loss };
  }

  /** Corner boxes [B, A, 4] in pixels and class probabilities [B, A, nc], inference mode. */
  predict(images: tf.Tensor4D): { boxes: tf.Tensor3D; probs: tf.Tensor3D } {
    const x = this.checkImages(images, 'predict');
    return tf.tidy(() => {
      const { box, cls } = this.net.apply(x, false);
      return { boxes: predictedBoxes(box, this.grid), probs: tf.sigmoid(cls) as tf.Tensor3D };
    });
  }

  async detect(images: tf.Tensor4D, options?: DetectOptions): Promise<Detection[][]> {
    const { boxes, probs } = this.predict(images);
    try {
      return await yoloPostprocess(boxes, probs, this.config.imageSize, options);
    } finally {
      tf.dispose([boxes, probs]);
    }
  }

  async saveModel(dir: string): Promise<void> {
    await saveDetector(dir, this);
  }

  dispose(): void {
    this.net.dispose();
    tf.dispose([this.grid.points, this.grid.strides]);
  }

  private checkImages(x: tf.Tensor | undefined, fn: string): tf.Tensor4D {
    const s = this.config.imageSize;
    if (x?.rank !== 4 || x.shape[1] !== s || x.shape[2] !== s || x.shape[3] !== 3) {
      throw new DetectionError(
        `yolo ${fn}: images must be [B, ${s}, ${s}, 3] (RGB in [0, 1] at the config's imageSize), received [${x?.shape ?? 'none'}]; resize them to ${s}×${s}`,
      );
    }
    if (hasNaN(x))
      throw new DetectionError(`yolo ${fn}: the images hold NaN; check the decoding and normalization`);
    return x as tf.Tensor4D;
  }

  private checkLabels(y: tf.Tensor, batch: number): tf.Tensor3D {
    if (y.rank !== 3 || y.shape[2] !== 5 || y.shape[0] !== batch) {
      throw new DetectionError(
        `yolo loss: labels must be [${batch}, maxObjects, 5] rows (class, x1, y1, x2, y2) normalized, padding rows -1, received [${y.shape}]`,
      );
    }
    const bad = tf.tidy(() => {
      const [c, x1, y1, x2, y2] = tf.unstack(y, 2) as tf.Tensor[];
      const real = tf.greaterEqual(c!, 0);
      const badClass = tf.logicalAnd(
        real,
        tf.logicalOr(tf.greaterEqual(c!, this.config.numClasses), tf.notEqual(c!, tf.round(c!))),
      );
      const flipped = tf.logicalAnd(real, tf.logicalOr(tf.less(x2!, x1!), tf.less(y2!, y1!)));
      return tf.stack([tf.any(tf.isNaN(y)), tf.any(badClass), tf.any(flipped)]).cast('int32');
    });
    const [nan, badClass, flipped] = bad.dataSync();
    bad.dispose();
    if (nan) throw new DetectionError('yolo loss: the labels hold NaN; label rows must be finite numbers');
    if (badClass) {
      throw new DetectionError(
        `yolo loss: a label's class is not an integer in [0, ${this.config.numClasses}) (padding rows are -1); check numClasses against the data set`,
      );
    }
    if (flipped) {
      throw new DetectionError(
        'yolo loss: a label box has x2 < x1 or y2 < y1; rows are (class, x1, y1, x2, y2) corners',
      );
    }
    return y as tf.Tensor3D;
  }
}

function hasNaN(x: tf.Tensor): boolean {
  const t = tf.tidy(() => tf.any(tf.isNaN(x)));
  const v = t.dataSync()[0] === 1;
  t.dispose();
  return v;
}

registerDetector('yolo', (config) => new YoloDetector(config));
