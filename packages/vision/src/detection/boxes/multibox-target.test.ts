import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { offsetBoxes, offsetInverse } from './box-offsets.js';
import { DetectionError } from './errors.js';
import { assertClose } from './fixtures.js';
import { assignAnchorToBbox, multiboxTarget } from './multibox-target.js';

before(async () => {
  await tf.setBackend('cpu');
});

// d2l §14.4.3's example: the dog and cat ground truth and five anchors
const groundTruth = [
  [0, 0.1, 0.08, 0.52, 0.92],
  [1, 0.55, 0.2, 0.9, 0.88],
];
const anchors = [
  [0, 0.1, 0.2, 0.3],
  [0.15, 0.2, 0.4, 0.4],
  [0.63, 0.05, 0.88, 0.98],
  [0.66, 0.45, 0.8, 0.8],
  [0.57, 0.3, 0.92, 0.9],
];

describe('anchor labelling (d2l §14.4.3)', () => {
  it('assigns anchors as d2l does', () => {
    const map = assignAnchorToBbox(
      tf.tensor2d(groundTruth).slice([0, 1], [-1, 4]) as tf.Tensor2D,
      tf.tensor2d(anchors),
    );
    assert.deepEqual(Array.from(map.dataSync()), [-1, 0, 1, -1, 1]); // d2l's assign_anchor_to_bbox, boxes.reference.py
    assert.equal(map.dtype, 'int32');
  });

  it('gives the labels, mask and offsets d2l prints', () => {
    const t = multiboxTarget(tf.tensor3d([anchors]), tf.tensor3d([groundTruth]));
    assert.deepEqual(t.classLabels.arraySync(), [[0, 1, 2, 0, 2]]); // d2l: tensor([[0, 1, 2, 0, 2]])
    assert.equal(t.classLabels.dtype, 'int32');
    assert.deepEqual(
      Array.from(t.bboxMask.dataSync()),
      [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1],
    );
    // d2l's multibox_target in boxes.reference.py (d2l prints 1.40e+00, 1.00e+01, 2.59e+00, 7.18e+00, …)
    // biome-ignore format: one anchor per line
    assertClose(t.bboxOffset, [
      0, 0, 0, 0,
      1.3999999, 9.999999, 2.5939717, 7.1754241,
      -1.1999989, 0.2688176, 1.682364, -1.5654519,
      0, 0, 0, 0,
      -0.571428, -1.0000001, 4.2e-6, 0.6258204,
    ], 2e-5);
  });

  it('keeps the images of a batch apart (the second lists the boxes in reverse order)', () => {
    const t = multiboxTarget(tf.tensor3d([anchors]), tf.tensor3d([groundTruth, [...groundTruth].reverse()]));
    assert.deepEqual(t.classLabels.arraySync(), [
      [0, 1, 2, 0, 2],
      [0, 1, 2, 0, 2],
    ]);
    const [a, b] = tf.unstack(t.bboxOffset);
    assertClose(b as tf.Tensor, Array.from((a as tf.Tensor).dataSync()), 1e-6);
  });

  it('skips padding rows (class −1) and handles images without boxes', () => {
    const padded = tf.tensor3d([
      [...groundTruth, [-1, -1, -1, -1, -1]],
      [
        [-1, -1, -1, -1, -1],
        [-1, 0, 0, 0, 0],
        [-1, 0, 0, 0, 0],
      ],
    ]);
    const t = multiboxTarget(tf.tensor3d([anchors]), padded);
    assert.deepEqual(t.classLabels.arraySync(), [
      [0, 1, 2, 0, 2],
      [0, 0, 0, 0, 0],
    ]);
    assert.equal(tf.sum(t.bboxMask.slice([1, 0], [1, -1])).dataSync()[0], 0);
  });

  it('inverts offsets (d2l offset_inverse, boxes.reference.py)', () => {
    const anc = tf.tensor2d([
      [0.1, 0.08, 0.52, 0.92],
      [0.08, 0.2, 0.56, 0.95],
      [0.15, 0.3, 0.62, 0.91],
      [0.55, 0.2, 0.9, 0.88],
    ]);
    const off = tf.tensor2d(
      [0.1, -0.2, 0.3, 0.05, 0, 0, -0.5, 0.2, 1, 0.5, 0, 0, -0.3, 0.1, 0.2, -0.1],
      [4, 4],
    );
    // biome-ignore format: one box per line
    assertClose(offsetInverse(anc, off), [
      0.0912143, 0.0589789, 0.5371857, 0.9074211,
      0.102839, 0.1846959, 0.537161, 0.965304,
      0.197, 0.3305, 0.667, 0.9405,
      0.5323582, 0.2135324, 0.8966419, 0.8800676,
    ], 1e-6);
    assertClose(offsetBoxes(anc, offsetInverse(anc, off)), Array.from(off.dataSync()), 1e-4); // round trip
  });

  it('rejects bad input with typed errors and leaks no tensors', () => {
    const isDet = (re: RegExp) => (e: unknown) => e instanceof DetectionError && re.test(e.message);
    assert.throws(
      () => multiboxTarget(tf.tensor3d([anchors]), tf.zeros([1, 2, 4]) as tf.Tensor3D),
      isDet(/labels: expected rank 3 with 5 values/),
    );
    assert.throws(
      () => multiboxTarget(tf.tensor3d([anchors]), tf.tensor3d([[[0, 0.5, 0.5, 0.1, 0.9]]])),
      isDet(/negative width/),
    );
    assert.throws(
      () => offsetBoxes(tf.tensor2d(anchors), tf.zeros([2, 4]) as tf.Tensor2D),
      isDet(/anchors has 5 rows but assignedBb has 2/),
    );
    assert.throws(
      () => multiboxTarget(tf.tensor3d([anchors]), tf.tensor3d([groundTruth]), { iouThreshold: 2 }),
      OptionsError,
    );
    const a = tf.tensor3d([anchors]);
    const l = tf.tensor3d([groundTruth, groundTruth]);
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(Object.values(multiboxTarget(a, l)));
    assert.equal(tf.memory().numTensors, n);
  });
});
