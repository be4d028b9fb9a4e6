/**
 * `vision detect` as a function: image files of any size are resized to the detector's square
 * input, detected, and their boxes scaled back to each original image; the results come back as
 * COCO-style records (file, class, score, `bbox` [x, y, w, h] in pixels of the original image)
 * and, with `out`, go to `out/detections.json` with one PNG per image (`out/<name>.png`, the
 * original with boxes, labels and scores drawn). `detectInputs` lists what a path names (an image
 * or a folder of them, recursively) and decodes each once to say which cannot be read.
 *
 *   const { files, root } = await detectInputs('photos/');
 *   const r = await detectImages(detector, files, { root, classNames, out: 'runs/ssd/detect' });
 *   r.records[0]; // { file: 'a.jpg', classId: 0, className: 'banana', score: 0.97, bbox: [12, 40, 88, 61] }
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { tf } from '@dlpipe/tensor';
import { DatasetError, ImageDecodeError } from '../../errors.js';
import { decodeImage } from '../../image/decode.js';
import { DETECTION_IMAGE_EXTENSIONS, isDetectionImageName, listImages } from '../formats/image-files.js';
import type { Detection, DetectOptions, Detector } from '../model/detector.js';
import { drawDetections } from './draw-detections.js';
import { pixelBox } from './evaluate-detector.js';

/** One detection of `detectImages`' JSON. */
export interface DetectionRecord {
  /** The image, relative to `root` (or as given). */
  file: string;
  classId: number;
  className: string;
  score: number;
  /** [x, y, w, h] in pixels of the original image. */
  bbox: [number, number, number, number];
}

export interface DetectImagesOptions extends DetectOptions {
  /** Names per class id. Default: the detector config's, else `class <id>`. */
  classNames?: readonly string[];
  /** `file` in the records (and PNG names) is relative to this folder. Default: each file's folder. */
  root?: string;
  /** Folder for detections.json and the PNGs. Default: nothing written. */
  out?: string;
  /** Images per `detect` call. Default 16. */
  batchSize?: number;
}

export interface DetectImagesResult {
  records: DetectionRecord[];
  /** Per input image, in order: its detections (normalized corners). */
  detections: Detection[][];
  /** Written files: detections.json, then the PNGs in input order. */
  files: string[];
}

/** The images `path` names (a file, or every image under a folder) and the folder they are relative to. */
export async function detectInputs(path: string): Promise<{ root: string; files: string[] }> {
  if (!existsSync(path)) throw new DatasetError(path, 'no such image or folder');
  const isDir = statSync(path).isDirectory();
  const root = isDir ? path : dirname(path);
  if (!isDir && !isDetectionImageName(path)) {
    // a folder is listed by extension; a file named otherwise is most likely the wrong argument
    throw new DatasetError(path, `not an image file name: expected ${DETECTION_IMAGE_EXTENSIONS.join(', ')}`);
  }
  const files = isDir ? listImages(path).map((f) => join(path, f)) : [path];
  if (files.length === 0)
    throw new DatasetError(path, 'no images in this folder (jpg, png, webp, gif, tif, avif, bmp)');
  const bad: string[] = [];
  for (const f of files) {
    try {
      await decodeImage(f, { channels: 3, resize: { width: 8, height: 8 } });
    } catch (err) {
      if (!(err instanceof ImageDecodeError)) throw err;
      bad.push(err.message);
    }
  }
  if (bad.length === 1 && files.length === 1)
    throw new ImageDecodeError(path, bad[0]!.replace(`${path}: `, ''));
  if (bad.length > 0) {
    throw new ImageDecodeError(
      path,
      `${bad.length} of ${files.length} images cannot be decoded; the first: ${bad[0]}`,
    );
  }
  return { root, files };
}

/** Detects objects in `files`; see the file header. */
export async function detectImages(
  detector: Detector,
  files: readonly string[],
  o: DetectImagesOptions = {},
): Promise<DetectImagesResult> {
  const S = detector.config.imageSize;
  const names = o.classNames ?? detector.config.classNames ?? [];
  const nameOf = (k: number) => names[k] ?? `class ${k}`;
  const batchSize = o.batchSize ?? 16;
  const detectOptions: DetectOptions = {
    scoreThreshold: o.scoreThreshold ?? 0.3,
    iouThreshold: o.iouThreshold ?? 0.5,
    maxDetections: o.maxDetections ?? 100,
  };
  const result: DetectImagesResult = { records: [], detections: [], files: [] };
  if (o.out) mkdirSync(o.out, { recursive: true });
  for (let s = 0; s < files.length; s += batchSize) {
    const chunk = files.slice(s, s + batchSize);
    const originals = await Promise.all(chunk.map((f) => decodeImage(f, { channels: 3 })));
    const resized = await Promise.all(
      chunk.map((f) => decodeImage(f, { channels: 3, resize: { width: S, height: S } })),
    );
    const x = tf.tidy(() => {
      const flat = new Float32Array(chunk.length * S * S * 3);
      resized.forEach((r, j) => {
        for (let p = 0; p < S * S * 3; p++) flat[j * S * S * 3 + p] = r.data[p]! / 255;
      });
      return tf.tensor4d(flat, [chunk.length, S, S, 3]);
    });
    let dets: Detection[][];
    try {
      dets = await detector.detect(x, detectOptions);
    } finally {
      x.dispose();
    }
    for (const [j, file] of chunk.entries()) {
      const im = originals[j]!;
      const rel =
        relative(o.root ?? dirname(file), file)
          .split('\\')
          .join('/') || basename(file);
      const d = dets[j] ?? [];
      result.detections.push(d);
      for (const det of d) {
        const bbox = pixelBox(det, im.width, im.height).map((v) => Math.round(v * 100) / 100);
        result.records.push({
          file: rel,
          classId: det.classId,
          className: nameOf(det.classId),
          score: det.score,
          bbox: bbox as DetectionRecord['bbox'],
        });
      }
      if (o.out) {
        const rgb = { data: im.data as Uint8Array, width: im.width, height: im.height };
        const path = join(o.out, `${rel.replace(/\.[^./]+$/, '')}.png`);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, await drawDetections(rgb, d, { classNames: names }));
        result.files.push(path);
      }
    }
  }
  if (o.out) {
    const json = join(o.out, 'detections.json');
    writeFileSync(json, `${JSON.stringify(result.records, null, 1)}\n`);
    result.files.unshift(json);
  }
  return result;
}
