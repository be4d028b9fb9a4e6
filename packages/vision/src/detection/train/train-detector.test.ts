/**
 * Detection runs against a small real detector (fixture-detector.ts: a conv net regressing one
 * box, trained here for real on coloured rectangles): it learns (AP50 far above the untrained
 * net), the run folder has the classification layout, a resume continues the same loss curve,
 * `detectImages` scales boxes back to images of any size and draws one PNG per image,
 * `validateDetector` equals `cocoEvaluate` on the files it writes, and the PR curves equal a
 * hand-computed case.
 */
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Rng, setSeed } from '@dlpipe/core';
import { initBackend, readHistory, tf } from '@dlpipe/tensor';
import sharp from 'sharp';
import { cocoEvaluate } from '../eval/coco-evaluate.js';
import type { CocoDataset, CocoDetection } from '../formats/coco-schema.js';
import { writeYoloLabels } from '../formats/yolo-txt.js';
import { type Detector, detectorArchs, registerDetector } from '../model/detector.js';
import { detectImages, detectInputs } from './detect-images.js';
import { detectionImages, resolveDetectionData } from './detection-data.js';
import { loadDetectorRun, readDetectorConfig } from './detector-run.js';
import { evaluateDetector } from './evaluate-detector.js';
import { fixtureDetector, writeRectSet } from './fixture-detector.js';
import { prCurves } from './pr-curves.js';
import { type TrainDetectorOptions, trainDetector } from './train-detector.js';
import { validateDetector } from './validate-detector.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-det-train-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const setDir = join(tmp, 'rects');
const config = { arch: 'tinyssd' as const, numClasses: 2, imageSize: 32, classNames: ['red', 'blue'] };
const build = (seed = 1) => {
  setSeed(seed);
  return fixtureDetector(config);
};
const common = (runDir: string): Omit<TrainDetectorOptions, 'model'> => ({
  data: setDir,
  runDir,
  batchSize: 16,
  optimizer: { name: 'adam', lr: 0.005 },
  seed: 3,
  progress: false,
  previewImages: 4,
});

let trained: Detector;
let untrainedAP50: number;

before(async () => {
  await initBackend();
  await writeRectSet(setDir, { train: 96, val: 24, sizes: [32, 48] });
  // loadDetector builds through the registry: this process has no real model imported, so the
  // fixture stands in for 'tinyssd' here (the e2e CLI test uses the real one)
  if (!detectorArchs().includes('tinyssd')) registerDetector('tinyssd', fixtureDetector);
  const fresh = build();
  const val = await detectionImages(await resolveDetectionData(setDir, 'val'), { imageSize: 32 });
  untrainedAP50 = (await evaluateDetector(fresh, val)).result.stats.AP50;
  fresh.dispose();
});

describe('trainDetector', () => {
  it('trains a detector that finds the boxes and writes the run', async () => {
    const runDir = join(tmp, 'runs', 'fixture');
    const r = await trainDetector({ model: build(), epochs: 12, evalEvery: 4, ...common(runDir) });
    trained = r.detector;
    assert.ok(
      r.stats.AP50 > 0.6 && r.stats.AP50 > untrainedAP50 + 0.4,
      `AP50 ${r.stats.AP50} vs ${untrainedAP50}`,
    );
    for (const f of ['metrics.json', 'curves.png', 'detections.png', 'history.jsonl', 'model/model.json'])
      assert.ok(existsSync(join(runDir, f)), f);
    const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8'));
    assert.deepEqual(metrics.classNames, ['red', 'blue']);
    assert.equal(metrics.val.AP50, r.stats.AP50);
    assert.equal(metrics.val.perClass.length, 2);
    assert.equal(typeof metrics.loss.loss, 'number');
    const model = JSON.parse(readFileSync(join(runDir, 'model', 'model.json'), 'utf8'));
    assert.deepEqual(model.userDefinedMetadata.detector.classNames, ['red', 'blue']);
    // mAP on epochs 4, 8, 12 in history.jsonl (patched after fit's logger wrote the line)
    const epochs = readHistory(join(runDir, 'history.jsonl')).filter((h) => h.kind === 'epoch');
    assert.deepEqual(
      epochs.map((h) => typeof h.val_AP50),
      epochs.map((h) => (h.epoch % 4 === 0 ? 'number' : 'undefined')),
    );
    assert.equal(epochs.at(-1)!.val_AP50, r.stats.AP50);
    const png = await sharp(join(runDir, 'detections.png')).metadata();
    assert.ok(png.width! > 4 * 128, `a 4-wide grid of 160 px tiles, got ${png.width}`);
  });

  it('continues the same loss curve after a resume, with no tensors left behind', async () => {
    const straight = await trainDetector({ model: build(), epochs: 4, ...common(join(tmp, 'runs', 'a')) });
    straight.detector.dispose();
    const half = await trainDetector({ model: build(), epochs: 2, ...common(join(tmp, 'runs', 'b')) });
    half.detector.dispose();
    const detector = build(99); // other init: the checkpoint must restore the weights
    const before = tf.memory().numTensors;
    const resumed = await trainDetector({
      model: detector,
      epochs: 4,
      resume: true,
      ...common(join(tmp, 'runs', 'b')),
    });
    const loss = (h: typeof straight.history) =>
      h.filter((r) => r.kind === 'epoch').map((r) => Number(r.loss));
    const [a, b] = [loss(straight.history), loss(resumed.history)];
    assert.equal(b.length, 4);
    for (const [i, v] of a.entries())
      assert.ok(Math.abs(v - b[i]!) < 1e-4 * Math.max(1, v), `epoch ${i + 1}: ${v} vs ${b[i]}`);
    // fit's optimizer keeps its Adam slots (2 per variable), and @dlpipe/tensor's writeCheckpoint
    // keeps the iterations scalar of `optimizer.getWeights()` (one per checkpoint, 2 here): no more
    const slots = 2 * detector.trainableVariables().length;
    const left = tf.memory().numTensors - before;
    assert.ok(left <= slots + 2, `${left} tensors left`);
    detector.dispose();
  });
});

describe('detectImages', () => {
  it('scales boxes back to images of any size and draws one PNG per image', async () => {
    const dir = join(tmp, 'other');
    await writeRectSet(dir, { train: 0, val: 6, sizes: [40, 64], seed: 7 });
    const { root, files } = await detectInputs(join(dir, 'images', 'val'));
    const before = tf.memory().numTensors;
    const r = await detectImages(trained, files, { root, out: join(tmp, 'detect'), scoreThreshold: 0 });
    assert.equal(tf.memory().numTensors, before);
    const json = JSON.parse(readFileSync(join(tmp, 'detect', 'detections.json'), 'utf8'));
    assert.deepEqual(json, r.records);
    const named = new Set(r.records.map((d) => d.file));
    assert.equal(r.files.length - 1, files.length);
    assert.equal(named.size, files.length);
    const gt = JSON.parse(readFileSync(join(dir, 'annotations', 'val.json'), 'utf8')) as CocoDataset;
    let hits = 0;
    for (const im of gt.images) {
      const drawn = await sharp(join(tmp, 'detect', im.file_name!)).metadata();
      assert.deepEqual([drawn.width, drawn.height], [im.width, im.height]);
      const det = r.records.find((d) => d.file === im.file_name)!;
      const truth = gt.annotations.find((a) => a.image_id === im.id)!;
      assert.ok(
        det.bbox[0] + det.bbox[2] <= im.width! + 1e-6 && det.bbox[1] + det.bbox[3] <= im.height! + 1e-6,
      );
      if (iou(det.bbox, truth.bbox) > 0.5 && det.classId === truth.category_id - 1) hits++;
    }
    assert.ok(hits >= 4, `${hits}/6 images with the right class at IoU > 0.5`);
  });

  it('says which input cannot be decoded', async () => {
    const dir = join(tmp, 'bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cut.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]));
    await assert.rejects(detectInputs(dir), /cut\.png/);
    await assert.rejects(detectInputs(join(tmp, 'nope')), /no such image or folder/);
  });
});

describe('validateDetector', () => {
  it('equals cocoEvaluate on the COCO files it writes, with PR curves per class', async () => {
    const out = join(tmp, 'val');
    const set = await resolveDetectionData(setDir, 'val');
    const r = await validateDetector(trained, set, { out });
    const gt = JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8')) as CocoDataset;
    const dets = JSON.parse(readFileSync(join(out, 'detections.json'), 'utf8')) as CocoDetection[];
    assert.deepEqual(r.stats, cocoEvaluate(gt, dets).stats);
    assert.ok(existsSync(join(out, 'pr-curves.png')));
    for (const c of r.curves.perClass) {
      const k = r.perClass.find((p) => p.categoryId === c.categoryId)!;
      assert.ok(Math.abs(c.ap - k.AP50) < 1e-12, `${c.name}: ${c.ap} vs ${k.AP50}`);
    }
    assert.ok(Math.abs(r.curves.mean.ap - r.stats.AP) < 1e-12);
    assert.ok(Math.abs(r.curves.mean50.ap - r.stats.AP50) < 1e-12);
  });
});

describe('detectionImages flips', () => {
  it('mirrors about half the images with their boxes, the same way for the same seed', async () => {
    const data = await detectionImages(await resolveDetectionData(setDir, 'val'), { imageSize: 32 });
    const take = (flip: boolean) => {
      const [b] = [...data.source({ batchSize: 24, flip }).batches(0, new Rng(5))];
      const out = { x: b!.x as tf.Tensor4D, y: b!.y.arraySync() as number[][][] };
      return out;
    };
    const plain = take(false);
    const a = take(true);
    const again = take(true);
    assert.deepEqual(a.y, again.y);
    assert.deepEqual(a.x.dataSync(), again.x.dataSync());
    const mirroredX = tf.reverse(plain.x, 2);
    let flipped = 0;
    for (let i = 0; i < 24; i++) {
      const [got, asIs, mirrored] = tf.tidy(() => [a.x, plain.x, mirroredX].map((t) => t.slice(i, 1)));
      const same = (u: tf.Tensor, v: tf.Tensor) => u.dataSync().every((e, k) => e === v.dataSync()[k]);
      const isFlipped = same(got!, mirrored!);
      assert.ok(isFlipped || same(got!, asIs!), `image ${i}: neither the image nor its mirror`);
      tf.dispose([got!, asIs!, mirrored!]);
      for (const [m, row] of a.y[i]!.entries()) {
        const p = plain.y[i]![m]!;
        if (p[0]! < 0)
          assert.deepEqual(row, p); // padding rows stay padding
        else if (isFlipped) {
          assert.deepEqual([row[0], row[2], row[4]], [p[0], p[2], p[4]]);
          assert.ok(Math.abs(row[1]! - (1 - p[3]!)) < 1e-6 && Math.abs(row[3]! - (1 - p[1]!)) < 1e-6);
        } else assert.deepEqual(row, p);
      }
      if (isFlipped) flipped++;
    }
    assert.ok(flipped >= 6 && flipped <= 18, `${flipped} of 24 flipped`);
    tf.dispose([plain.x, a.x, again.x, mirroredX]);
  });
});

describe('resolveDetectionData', () => {
  it('reads the same split from a set folder, a YOLO folder and a COCO JSON file', async () => {
    const coco = await resolveDetectionData(setDir, 'val');
    const yolo = join(tmp, 'yolo');
    const set = {
      classNames: coco.classNames,
      images: coco.images.map((im) => ({ ...im, file: `val/${basename(im.file)}` })),
    };
    for (const im of coco.images) {
      mkdirSync(join(yolo, 'images', 'val'), { recursive: true });
      copyFileSync(im.file, join(yolo, 'images', 'val', basename(im.file)));
    }
    writeYoloLabels(set, yolo);
    const fromYolo = await resolveDetectionData(yolo, 'val');
    assert.deepEqual(fromYolo.classNames, ['red', 'blue']);
    assert.equal(fromYolo.images.length, coco.images.length);
    fromYolo.images.forEach((im, i) => {
      const want = coco.images[i]!;
      assert.equal(basename(im.file), basename(want.file));
      assert.equal(im.boxes[0]!.classId, want.boxes[0]!.classId);
      assert.ok(Math.abs(im.boxes[0]!.x2 - want.boxes[0]!.x2) < 1e-3); // YOLO keeps 6 decimals
    });
    // a COCO file with images/ beside it
    copyFileSync(join(setDir, 'annotations', 'val.json'), join(yolo, 'images', 'coco.json'));
    mkdirSync(join(yolo, 'images', 'images'), { recursive: true });
    for (const im of coco.images) copyFileSync(im.file, join(yolo, 'images', 'images', basename(im.file)));
    const fromJson = await resolveDetectionData(join(yolo, 'images', 'coco.json'), 'val');
    assert.deepEqual(
      fromJson.images.map((im) => im.boxes),
      coco.images.map((im) => im.boxes),
    );
    await assert.rejects(resolveDetectionData(join(tmp, 'nope'), 'val'), /no such set folder or file/);
    await assert.rejects(resolveDetectionData(tmp, 'val'), /not a detection set/);
  });
});

describe('prCurves', () => {
  it('gives the hand-computed curve of three detections on two boxes', () => {
    // one image, two 'a' boxes; detections by score: TP (exact), FP (far away), TP (exact).
    // recall .5 .5 1, precision 1 .5 .667 → envelope 1 .667 .667: precision 1 up to recall 0.50,
    // 2/3 beyond; AP = (51 · 1 + 50 · 2/3) / 101 at every IoU threshold (exact or no overlap)
    const gt: CocoDataset = {
      images: [{ id: 1, width: 100, height: 100 }],
      categories: [
        { id: 1, name: 'a' },
        { id: 2, name: 'b' },
      ],
      annotations: [
        { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 10, 10] },
        { id: 2, image_id: 1, category_id: 1, bbox: [50, 50, 20, 20] },
      ],
    };
    const dets: CocoDetection[] = [
      { image_id: 1, category_id: 1, bbox: [0, 0, 10, 10], score: 0.9 },
      { image_id: 1, category_id: 1, bbox: [80, 0, 10, 10], score: 0.8 },
      { image_id: 1, category_id: 1, bbox: [50, 50, 20, 20], score: 0.7 },
    ];
    const c = prCurves(cocoEvaluate(gt, dets));
    assert.deepEqual(
      c.perClass.map((p) => p.name),
      ['a'],
    ); // 'b' has no ground truth
    const want = Array.from({ length: 101 }, (_, r) => (r <= 50 ? 1 : 2 / 3));
    const close = (xs: number[]) => xs.every((v, r) => Math.abs(v - want[r]!) < 1e-12);
    assert.ok(close(c.perClass[0]!.precision));
    assert.ok(close(c.mean50.precision) && close(c.mean.precision));
    assert.ok(Math.abs(c.perClass[0]!.ap - (51 + (50 * 2) / 3) / 101) < 1e-12);
    assert.equal(c.recall[50], 0.5);
  });
});

describe('loadDetectorRun', () => {
  it('loads a trained run and names what is wrong with other folders', async () => {
    const run = await loadDetectorRun(join(tmp, 'runs', 'fixture'));
    assert.deepEqual(run.classNames, ['red', 'blue']);
    run.detector.dispose();
    assert.match(readDetectorConfig(join(tmp, 'none')).problem!, /no such run folder/);
    assert.match(
      readDetectorConfig(join(setDir, 'annotations', 'val.json')).problem!,
      /a file, expected a run folder/,
    );
    assert.match(readDetectorConfig(setDir).problem!, /no model\.json/);
    const clf = join(tmp, 'clf', 'model');
    mkdirSync(clf, { recursive: true });
    writeFileSync(join(clf, 'model.json'), JSON.stringify({ modelTopology: { class_name: 'Sequential' } }));
    assert.match(
      readDetectorConfig(join(tmp, 'clf')).problem!,
      /a Sequential \(a classifier run\?\), not a detector/,
    );
    await assert.rejects(loadDetectorRun(join(tmp, 'clf')), /not a detector/);
  });
});

function iou(a: number[], b: number[]): number {
  const ix = Math.max(0, Math.min(a[0]! + a[2]!, b[0]! + b[2]!) - Math.max(a[0]!, b[0]!));
  const iy = Math.max(0, Math.min(a[1]! + a[3]!, b[1]! + b[3]!) - Math.max(a[1]!, b[1]!));
  const inter = ix * iy;
  return inter / (a[2]! * a[3]! + b[2]! * b[3]! - inter);
}
