import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { setSeed } from '@dlpipe/core';
import { fit, initBackend, tf, type XYBatch } from '@dlpipe/tensor';
import { boxIou } from '../boxes/box-iou.js';
import { DetectionError } from '../boxes/errors.js';
import { createDetector, type Detection, loadDetector } from '../model/detector.js';
import { SQUARES, squaresBatch } from './fixtures.js';
import { YoloDetector } from './yolo-detector.js';

const CONFIG = {
  arch: 'yolo' as const,
  numClasses: 2,
  imageSize: 64,
  widths: [8, 8, 16, 16, 16] as [number, number, number, number, number],
  neckWidth: 16,
  headWidth: 16,
  bnMomentum: 0.3, // running statistics settle within a short run
};
const STEPS = 70;

let det: YoloDetector;
let losses: number[] = [];
const tensorsAfterStep: number[] = [];

/** Four images, one batch, the same every epoch. */
const squares = {
  length: 1,
  *batches(): Generator<XYBatch> {
    yield squaresBatch(4, 64);
  },
};

before(async () => {
  await initBackend();
  setSeed(0);
  det = new YoloDetector(CONFIG);
  const r = await fit(det, squares, {
    epochs: STEPS,
    optimizer: { name: 'adam', lr: 0.02 },
    progress: false,
    callbacks: [{ onBatchEnd: () => void tensorsAfterStep.push(tf.memory().numTensors) }],
  });
  losses = r.history.filter((h) => h.kind === 'epoch').map((h) => Number(h.loss));
});

describe('YOLO detector', () => {
  it('overfits four images: the loss falls by 80% and every box is found with IoU > 0.5 and its class', async () => {
    assert.ok(losses.at(-1)! < 0.2 * losses[0]!, `loss ${losses[0]} → ${losses.at(-1)}`);
    const { x } = squaresBatch(4, 64);
    const dets = await det.detect(x, { scoreThreshold: 0.3 });
    SQUARES.forEach((objs, i) => {
      for (const [c, ...box] of objs) {
        const hit = dets[i]!.filter((d) => d.classId === c).map((d) => iou(d.box, box));
        assert.ok(Math.max(0, ...hit) > 0.5, `image ${i} class ${c}: best IoU ${Math.max(0, ...hit)}`);
      }
    });
  });

  it('keeps the tensor count flat across training steps', () => {
    assert.ok(tensorsAfterStep.length === STEPS);
    assert.equal(
      tensorsAfterStep.at(-1),
      tensorsAfterStep[2],
      `${tensorsAfterStep.slice(0, 5)} … ${tensorsAfterStep.at(-1)}`,
    );
  });

  it('detect returns sorted, thresholded, normalized boxes and leaks nothing', async () => {
    const { x } = squaresBatch(2, 64);
    const before = tf.memory().numTensors;
    const dets = await det.detect(x, { scoreThreshold: 0.05, maxDetections: 3 });
    assert.equal(tf.memory().numTensors, before);
    for (const d of dets) {
      assert.ok(d.length <= 3);
      assert.ok(d.every((z, j) => z.score >= 0.05 && (j === 0 || z.score <= d[j - 1]!.score)));
      assert.ok(d.every((z) => z.box.every((v) => v >= 0 && v <= 1)));
    }
  });

  it('saves and loads through the registry with identical detections', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlpipe-yolo-'));
    try {
      await det.saveModel(dir);
      const again = await loadDetector(dir);
      assert.ok(again instanceof YoloDetector);
      assert.deepEqual(again.config, det.config);
      const { x } = squaresBatch(4, 64);
      const [a, b] = [await det.detect(x), await again.detect(x)];
      assert.deepEqual(b, a);
      again.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is created by name through createDetector', () => {
    const d = createDetector({
      arch: 'yolo',
      numClasses: 1,
      imageSize: 32,
      widths: [4, 4, 8, 8, 8],
      neckWidth: 8,
      headWidth: 8,
    });
    assert.ok(d instanceof YoloDetector);
    assert.equal(Object.keys(d.namedWeights()).length, 142);
    d.dispose();
  });

  it('rejects wrong shapes, NaN and bad classes with a DetectionError that says what it expected', () => {
    const { x, y } = squaresBatch(2, 64);
    const loss = (b: XYBatch) => () => det.loss(b, { training: false });
    assert.throws(loss({ x, y: y.slice([0, 0, 0], [-1, -1, 4]) }), /labels must be \[2, maxObjects, 5\]/);
    assert.throws(loss({ x: tf.zeros([2, 32, 32, 3]), y }), /images must be \[B, 64, 64, 3\]/);
    const nanX = tf.where(tf.equal(tf.range(0, 64).reshape([1, 64, 1, 1]), 3), NaN, x);
    assert.throws(loss({ x: nanX, y }), DetectionError);
    const nanY = tf.tensor3d([[[0, NaN, 0, 1, 1]], [[0, 0, 0, 1, 1]]]);
    assert.throws(loss({ x, y: nanY }), /NaN/);
    const badClass = tf.tensor3d([[[2, 0, 0, 1, 1]], [[0, 0, 0, 1, 1]]]);
    assert.throws(loss({ x, y: badClass }), /\[0, 2\)/);
    assert.throws(() => new YoloDetector({ ...CONFIG, imageSize: 70 }), /multiple of 32|imageSize/);
  });
});

function iou(a: Detection['box'], b: number[]): number {
  return tf.tidy(() => boxIou(tf.tensor2d([a]), tf.tensor2d([b])).dataSync()[0]!);
}
