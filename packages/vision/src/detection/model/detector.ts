/**
 * The one contract every trainable detector (TinySSD, YOLO) keeps, so training (`fit`), the
 * `vision train/detect/val` commands and evaluation work with any of them: a `TrainTask` on d2l's
 * detection batches, `detect` returning boxes after NMS, and save/load through a registry keyed by
 * the architecture name.
 *
 *   const det = createDetector({ arch: 'tinyssd', numClasses: 1, imageSize: 256 });
 *   await fit(det, train, { epochs: 20, optimizer: { name: 'sgdw', lr: 0.2, weightDecay: 5e-4 } });
 *   const [boxes] = await det.detect(images, { scoreThreshold: 0.9 });
 *   await det.saveModel('runs/ssd/model');  const again = await loadDetector('runs/ssd/model');
 */
import { loadWeights, saveWeights, type TrainTask, tf, type XYBatch } from '@dlpipe/tensor';
import { DetectionError } from '../boxes/errors.js';

/** The architectures `createDetector` knows once their modules are imported. */
export type DetectorArch = 'tinyssd' | 'yolo';

/** What a detector is built from; saved beside its weights, so it must be plain JSON. */
export interface DetectorConfig {
  arch: DetectorArch;
  /** Object classes, without background. */
  numClasses: number;
  /** Square input side in pixels (images are resized to it). */
  imageSize: number;
  /** Class names, index = class id; saved with the model for `vision detect`. */
  classNames?: string[];
  /** Architecture-specific settings (widths, anchors, strides, …), plain JSON. */
  [key: string]: unknown;
}

/** One detected object: class id (from 0), score in [0, 1], corners normalized to [0, 1]. */
export interface Detection {
  classId: number;
  score: number;
  /** x1, y1, x2, y2 divided by the image width/height. */
  box: [number, number, number, number];
}

export interface DetectOptions {
  /** Drop detections scoring below this. Default 0.05 (what mAP evaluation wants). */
  scoreThreshold?: number;
  /** NMS IoU threshold. Default 0.5. */
  iouThreshold?: number;
  /** At most this many detections per image, highest score first. Default 100. */
  maxDetections?: number;
}

/**
 * A trainable detector. As a `TrainTask<XYBatch>` its batches are d2l's:
 * `x` [B, S, S, 3] in [0, 1] (S = imageSize), `y` [B, maxObjects, 5] rows (class, x1, y1, x2, y2)
 * with normalized corners and padding rows all -1 (what `detectionDataSource` yields).
 */
export interface Detector extends TrainTask<XYBatch> {
  readonly config: DetectorConfig;
  /** Boxes per image after decoding and class-aware NMS, highest score first. Inference mode. */
  detect(images: tf.Tensor4D, options?: DetectOptions): Promise<Detection[][]>;
  /** Every weight and state tensor by a stable name (what save/load writes). */
  namedWeights(): Record<string, tf.Variable>;
  /** Writes `dir/model.json` + weights: the config under metadata `detector`, and `namedWeights`. */
  saveModel(dir: string): Promise<void>;
  dispose(): void;
}

/** Builds a fresh detector from its config (weights initialized, seeded by the global seed). */
export type DetectorFactory = (config: DetectorConfig) => Detector;

const factories = new Map<DetectorArch, DetectorFactory>();

/** Registers an architecture's factory; each architecture's module calls this on import. */
export function registerDetector(arch: DetectorArch, factory: DetectorFactory): void {
  factories.set(arch, factory);
}

/** The registered architectures, for help texts and errors. */
export function detectorArchs(): DetectorArch[] {
  return [...factories.keys()].sort();
}

/** A new detector of `config.arch`. */
export function createDetector(config: DetectorConfig): Detector {
  const factory = factories.get(config.arch);
  if (!factory) {
    throw new DetectionError(
      `unknown detector architecture '${String(config.arch)}'; known: ${detectorArchs().join(', ') || '(none registered)'}`,
    );
  }
  return factory(config);
}

/** Saves any detector's config and named weights (the shared body of `saveModel`). */
export async function saveDetector(dir: string, detector: Detector): Promise<void> {
  await saveWeights(dir, detector.namedWeights(), { detector: detector.config });
}

/** Loads a detector written by `saveModel`: builds it from the saved config, then assigns every weight. */
export async function loadDetector(dir: string): Promise<Detector> {
  const { weights, metadata } = await loadWeights(dir);
  try {
    const config = metadata.detector as DetectorConfig | undefined;
    if (!config || typeof config !== 'object' || typeof config.arch !== 'string') {
      throw new DetectionError(
        `${dir}: model.json has no detector config; it was not written by a detector's saveModel`,
      );
    }
    const det = createDetector(config);
    const targets = det.namedWeights();
    for (const { name, tensor } of weights) {
      const v = targets[name];
      if (!v)
        throw new DetectionError(
          `${dir}: weight '${name}' does not exist in a ${config.arch} built from the saved config`,
        );
      if (!tf.util.arraysEqual(v.shape, tensor.shape)) {
        throw new DetectionError(
          `${dir}: weight '${name}' has shape [${tensor.shape}], the model expects [${v.shape}]`,
        );
      }
      v.assign(tensor);
    }
    const missing = Object.keys(targets).filter((k) => !weights.some((w) => w.name === k));
    if (missing.length)
      throw new DetectionError(`${dir}: weights missing from the file: ${missing.slice(0, 5).join(', ')}`);
    return det;
  } finally {
    for (const w of weights) w.tensor.dispose();
  }
}
