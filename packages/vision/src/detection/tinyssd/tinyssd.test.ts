import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OptionsError, setSeed } from '@dlpipe/core';
import { fit, initBackend, tf, type XYBatch } from '@dlpipe/tensor';
import sharp from 'sharp';
import { boxIou } from '../boxes/box-iou.js';
import { DetectionError } from '../boxes/errors.js';
import { multiboxTarget } from '../boxes/multibox-target.js';
import { createDetector, loadDetector } from '../model/detector.js';
import { detectionFigure } from './detection-figure.js';
import { BboxMaeMetric, bboxEval, ClassErrorMetric, calcLoss, clsEval } from './loss.js';
import { TinySsd } from './tiny-ssd.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-tinyssd-'));

before(async () => {
  await initBackend();
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const charSum = (key: string) => [...key].reduce((s, c) => s + c.charCodeAt(0), 0) % 97;

/**
 * The weights of tinyssd.reference.py, by the same formula over PyTorch's [o, i, kh, kw] index k:
 * kernel √3·sin(0.37·(k² mod 1009) + 1.1·L)/√fanIn, bias 0.5·cos(0.53·k + L)/√fanIn, batch norm
 * γ = 1 + 0.1·sin(k + L), β = 0.1·cos(k + L), L = the conv layer's key's char codes mod 97.
 */
function setReferenceWeights(det: TinySsd): void {
  for (const layer of det.net.layers) {
    const convKey = layer.name.replace(/_bn(\d)$/, '_conv$1');
    const L = charSum(convKey);
    const w = layer.getWeights();
    if (layer.getClassName() === 'Conv2D') {
      const [kh, kw, ci, co] = w[0]!.shape as [number, number, number, number];
      const fanIn = ci * kh * kw;
      const kernel = new Float32Array(kh * kw * ci * co);
      for (let h = 0; h < kh; h++)
        for (let x = 0; x < kw; x++)
          for (let i = 0; i < ci; i++)
            for (let o = 0; o < co; o++) {
              const k = ((o * ci + i) * kh + h) * kw + x;
              kernel[((h * kw + x) * ci + i) * co + o] =
                (Math.sqrt(3) * Math.sin(0.37 * ((k * k) % 1009) + 1.1 * L)) / Math.sqrt(fanIn);
            }
      const bias = Float32Array.from(
        { length: co },
        (_, k) => (0.5 * Math.cos(0.53 * k + L)) / Math.sqrt(fanIn),
      );
      layer.setWeights([tf.tensor4d(kernel, [kh, kw, ci, co]), tf.tensor1d(bias)]);
    } else if (layer.getClassName() === 'BatchNormalization') {
      const c = w[0]!.shape[0]!;
      const gamma = Float32Array.from({ length: c }, (_, k) => 1 + 0.1 * Math.sin(k + L));
      const beta = Float32Array.from({ length: c }, (_, k) => 0.1 * Math.cos(k + L));
      layer.setWeights([tf.tensor1d(gamma), tf.tensor1d(beta), tf.zeros([c]), tf.ones([c])]);
    }
  }
}

/** tinyssd.reference.py's input: 0.5 + 0.25·sin(0.13h + 0.29w + 1.7c + 2.3b) + 0.25·cos(0.011·h·w + c), NHWC. */
function referenceImages(b: number, s: number): tf.Tensor4D {
  const v = new Float32Array(b * s * s * 3);
  for (let n = 0; n < b; n++)
    for (let h = 0; h < s; h++)
      for (let w = 0; w < s; w++)
        for (let c = 0; c < 3; c++)
          v[((n * s + h) * s + w) * 3 + c] =
            0.5 +
            0.25 * Math.sin(0.13 * h + 0.29 * w + 1.7 * c + 2.3 * n) +
            0.25 * Math.cos(0.011 * h * w + c);
  return tf.tensor4d(v, [b, s, s, 3]);
}

const referenceLabels = () =>
  tf.tensor3d([
    [
      [0, 0.1, 0.1, 0.5, 0.6],
      [1, 0.55, 0.3, 0.95, 0.9],
    ],
    [
      [1, 0.2, 0.25, 0.7, 0.8],
      [0, 0.05, 0.6, 0.35, 0.95],
    ],
  ]);

function near(actual: number, expected: number, tol: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected} (tolerance ${tol})`);
}

describe('TinySSD network (d2l §14.7)', () => {
  it('has 5,444 anchors for a 256 input and PyTorch’s parameter count', () => {
    const det = createDetector({ arch: 'tinyssd', numClasses: 1, imageSize: 256 }) as TinySsd;
    assert.equal(det.numAnchors, 5444); // d2l: anchors torch.Size([1, 5444, 4])
    const out = det.forward(tf.zeros([1, 256, 256, 3]), false);
    assert.deepEqual(det.anchors.shape, [1, 5444, 4]);
    assert.deepEqual(out.clsPreds.shape, [1, 5444, 2]); // d2l: class preds torch.Size([32, 5444, 2])
    assert.deepEqual(out.bboxPreds.shape, [1, 21776]); // d2l: bbox preds torch.Size([32, 21776])
    const trainable = det.trainableVariables().reduce((s, v) => s + v.size, 0);
    assert.equal(trainable, 1010376); // tinyssd.reference.py: sum of TinySSD(1).parameters()
    tf.dispose([out.clsPreds, out.bboxPreds]);
    det.dispose();
  });

  it('gives the loss and d2l’s counters of PyTorch with the same weights (64×64, 2 classes)', () => {
    const det = new TinySsd({ arch: 'tinyssd', numClasses: 2, imageSize: 64 });
    setReferenceWeights(det);
    const X = referenceImages(2, 64);
    const Y = referenceLabels();
    // tinyssd.reference.py, eval mode first (moving statistics 0/1), then train mode (batch statistics)
    const expected = {
      eval: { loss: [1.081787, 1.071686], correct: 292, abs: 48.36088 },
      train: { loss: [1.373587, 1.401522], correct: 242, abs: 65.06144 },
    };
    for (const mode of ['eval', 'train'] as const) {
      const out = det.forward(X, mode === 'train');
      assert.deepEqual(out.clsPreds.shape, [2, 344, 3]);
      const t = multiboxTarget(det.anchors, Y);
      assert.deepEqual(Array.from(tf.sum(tf.greater(t.classLabels, 0).toInt(), 1).dataSync()), [6, 4]);
      const l = calcLoss(out.clsPreds, t.classLabels, out.bboxPreds, t.bboxOffset, t.bboxMask).arraySync();
      const e = expected[mode];
      for (const [i, v] of l.entries()) near(v, e.loss[i]!, 2e-5, `${mode} calc_loss[${i}]`);
      assert.equal(clsEval(out.clsPreds, t.classLabels), e.correct, `${mode} cls_eval`);
      near(bboxEval(out.bboxPreds, t.bboxOffset, t.bboxMask), e.abs, 2e-3, `${mode} bbox_eval`);
      const task = det.loss({ x: X, y: Y }, { training: false });
      if (mode === 'eval') near(task.loss.dataSync()[0]!, 1.076737, 2e-5, 'eval loss (mean over the batch)');
      tf.dispose([out.clsPreds, out.bboxPreds, Object.values(t), task.loss, task.yHat!, task.y!]);
    }
    tf.dispose([X, Y]);
    det.dispose();
  });
});

/** Four 64×64 noisy images, each with one bright square: the handful to overfit. */
function squares(): { x: tf.Tensor4D; y: tf.Tensor3D } {
  const s = 64;
  const boxes = [
    [8, 10, 32, 36],
    [30, 20, 58, 46],
    [12, 34, 38, 60],
    [20, 6, 50, 34],
  ];
  const x = new Float32Array(boxes.length * s * s * 3);
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  boxes.forEach(([x1, y1, x2, y2], n) => {
    for (let h = 0; h < s; h++)
      for (let w = 0; w < s; w++) {
        const inside = w >= x1! && w < x2! && h >= y1! && h < y2!;
        for (let c = 0; c < 3; c++)
          x[((n * s + h) * s + w) * 3 + c] = inside ? [0.95, 0.85, 0.1][c]! : 0.2 + 0.4 * rand();
      }
  });
  const y = boxes.map((b) => [[0, ...b.map((v) => v / s)]]);
  return { x: tf.tensor4d(x, [boxes.length, s, s, 3]), y: tf.tensor3d(y) };
}

describe('TinySSD training', () => {
  let det: TinySsd;
  const data = squares();
  const source = {
    length: 1,
    batches: () => [{ x: data.x.clone(), y: data.y.clone() } as XYBatch],
  };

  it('overfits four images: the loss falls, numTensors stays flat, and every square is found', async () => {
    setSeed(3);
    det = new TinySsd({ arch: 'tinyssd', numClasses: 1, imageSize: 64 });
    const counts: number[] = [];
    const r = await fit(det, source, {
      epochs: 40,
      optimizer: { name: 'adam', lr: 0.01 },
      metrics: [new ClassErrorMetric(), new BboxMaeMetric()],
      progress: false,
      seed: 3,
      callbacks: [{ onStepEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    const epochs = r.history.filter((h) => h.kind === 'epoch');
    const first = epochs[0]!;
    const last = epochs.at(-1)!;
    assert.ok(
      (last.loss as number) < (first.loss as number) / 50,
      `loss ${first.loss} → ${last.loss}: expected a fall by 50× (here 0.676 → 0.0014)`,
    );
    assert.ok((last.class_err as number) < (first.class_err as number), 'class error falls');
    assert.equal(new Set(counts.slice(2)).size, 1, `numTensors per step: ${counts.join(' ')}`);
    const found = await det.detect(data.x, { scoreThreshold: 0.5 });
    const truth = data.y.arraySync();
    found.forEach((dets, i) => {
      assert.ok(dets.length >= 1, `image ${i}: no box with score ≥ 0.5`);
      const best = dets[0]!;
      assert.equal(best.classId, 0);
      const iou = boxIou(tf.tensor2d([best.box]), tf.tensor2d([truth[i]![0]!.slice(1)])).dataSync()[0]!;
      assert.ok(iou > 0.5, `image ${i}: best box ${best.box} has IoU ${iou} with the square`);
    });
  });

  it('draws the detection figure: one tile per image, boxes over the pixels', async () => {
    const found = await det.detect(data.x, { scoreThreshold: 0.5 });
    const png = await detectionFigure(data.x, found, { tile: 64, columns: 2, minScore: 0.5 });
    if (process.env.TINYSSD_FIGURE) writeFileSync(process.env.TINYSSD_FIGURE, png);
    const bare = await detectionFigure(data.x, found, { tile: 64, columns: 2, minScore: 1.01 });
    const [a, b] = await Promise.all(
      [png, bare].map((p) => sharp(p).raw().toBuffer({ resolveWithObject: true })),
    );
    assert.deepEqual([a!.info.width, a!.info.height], [2 * (64 + 4) + 4, 2 * (64 + 4) + 4]);
    assert.ok(!a!.data.equals(b!.data), 'the boxes change the figure');
    await assert.rejects(detectionFigure(data.x, found.slice(1)), /one list of detections per image/);
  });

  it('saves and loads to identical detections (moving statistics included)', async () => {
    const dir = join(tmp, 'model');
    await det.saveModel(dir);
    const again = await loadDetector(dir);
    assert.ok(again instanceof TinySsd);
    assert.deepEqual(Object.keys(again.namedWeights()).sort(), Object.keys(det.namedWeights()).sort());
    assert.ok(Object.keys(det.namedWeights()).includes('blk1_bn0/moving_variance'));
    assert.deepEqual(await again.detect(data.x), await det.detect(data.x));
    again.dispose();
  });

  it('rejects bad images, labels and options with a DetectionError that says what to pass', async () => {
    const loss = (x: tf.Tensor, y: tf.Tensor) => () => det.loss({ x, y }, { training: true });
    assert.throws(loss(tf.zeros([1, 32, 32, 3]), tf.zeros([1, 1, 5])), (e: unknown) => {
      return e instanceof DetectionError && /expected images \[batch, 64, 64, 3\]/.test(e.message);
    });
    assert.throws(
      loss(tf.zeros([1, 64, 64, 3]), tf.zeros([1, 1, 4])),
      /expected labels \[1, maxObjects, 5\]/,
    );
    assert.throws(
      loss(tf.zeros([2, 64, 64, 3]), tf.zeros([1, 1, 5])),
      /expected labels \[2, maxObjects, 5\]/,
    );
    assert.throws(loss(tf.fill([1, 64, 64, 3], Number.NaN), tf.zeros([1, 1, 5])), /NaN/);
    assert.throws(
      loss(tf.zeros([1, 64, 64, 3]), tf.tensor3d([[[0, Number.NaN, 0, 1, 1]]])),
      /labels hold NaN/,
    );
    assert.throws(loss(tf.zeros([1, 64, 64, 3]), tf.tensor3d([[[1, 0, 0, 1, 1]]])), /numClasses 1/);
    await assert.rejects(det.detect(tf.zeros([1, 64, 64, 1]) as tf.Tensor4D), DetectionError);
    await assert.rejects(det.detect(data.x, { scoreThreshold: 2 }), OptionsError);
    assert.throws(() => createDetector({ arch: 'tinyssd', numClasses: 1, imageSize: 100 }), /multiple of 64/);
    assert.throws(() => createDetector({ arch: 'tinyssd', numClasses: 0, imageSize: 64 }), DetectionError);
    det.dispose();
  });
});
