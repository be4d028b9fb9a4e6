import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { DetectionError } from './errors.js';
import { assertClose } from './fixtures.js';
import { multiboxDetection } from './multibox-detection.js';

before(async () => {
  await tf.setBackend('cpu');
});

// d2l §14.4.4's example: four anchors, zero offsets, dog/cat probabilities
const anchors = tf.tensor3d([
  [
    [0.1, 0.08, 0.52, 0.92],
    [0.08, 0.2, 0.56, 0.95],
    [0.15, 0.3, 0.62, 0.91],
    [0.55, 0.2, 0.9, 0.88],
  ],
]);
const clsProbs = tf.tensor3d([
  [
    [0, 0, 0, 0],
    [0.9, 0.8, 0.7, 0.1],
    [0.1, 0.2, 0.3, 0.9],
  ],
]);

describe('multiboxDetection (d2l §14.4.4)', () => {
  it("gives d2l's output rows", async () => {
    const out = await multiboxDetection(clsProbs, tf.zeros([1, 16]) as tf.Tensor2D, anchors, {
      nmsThreshold: 0.5,
    });
    assert.deepEqual(out.shape, [1, 4, 6]);
    // d2l prints [[0, 0.9, 0.1, 0.08, 0.52, 0.92], [1, 0.9, 0.55, 0.2, 0.9, 0.88], [-1, 0.8, 0.08, 0.2, 0.56, 0.95], [-1, 0.7, 0.15, 0.3, 0.62, 0.91]]
    // biome-ignore format: one row per anchor
    assertClose(out, [
      0, 0.9, 0.1, 0.08, 0.52, 0.92,
      1, 0.9, 0.55, 0.2, 0.9, 0.88,
      -1, 0.8, 0.08, 0.2, 0.56, 0.95,
      -1, 0.7, 0.15, 0.3, 0.62, 0.91,
    ], 1e-6);
  });

  it('applies offsets and posThreshold as d2l (boxes.reference.py, output2)', async () => {
    const off = tf.tensor2d([[0.1, -0.2, 0.3, 0.05, 0, 0, -0.5, 0.2, 1, 0.5, 0, 0, -0.3, 0.1, 0.2, -0.1]]);
    const probs = tf.tensor3d([
      [
        [0.2, 0.3, 0.995, 0.5],
        [0.7, 0.6, 0.004, 0.1],
        [0.1, 0.1, 0.001, 0.4],
      ],
    ]);
    const out = await multiboxDetection(probs, off, anchors, { nmsThreshold: 0.3 });
    // d2l's multibox_detection(…, nms_threshold=0.3): anchor 2's best class has p = 0.004 < 0.01 → −1, 0.996
    // biome-ignore format: one row per anchor
    assertClose(out, [
      0, 0.7, 0.0912143, 0.0589789, 0.5371857, 0.9074211,
      1, 0.4, 0.5323582, 0.2135324, 0.8966419, 0.8800676,
      -1, 0.6, 0.102839, 0.1846959, 0.537161, 0.965304,
      -1, 0.996, 0.197, 0.3305, 0.667, 0.9405,
    ], 1e-5);
  });

  it('rejects mismatched shapes and bad options; leaks no tensors', async () => {
    await assert.rejects(
      multiboxDetection(clsProbs, tf.zeros([1, 12]) as tf.Tensor2D, anchors),
      (e: unknown) => e instanceof DetectionError && /offsetPreds \[B, A·4\]/.test(e.message),
    );
    await assert.rejects(
      multiboxDetection(clsProbs, tf.zeros([1, 16]) as tf.Tensor2D, anchors, { nmsThreshold: -1 }),
      OptionsError,
    );
    const off = tf.zeros([2, 16]) as tf.Tensor2D;
    const probs = tf.concat([clsProbs, clsProbs]) as tf.Tensor3D;
    const n = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) (await multiboxDetection(probs, off, anchors)).dispose();
    assert.equal(tf.memory().numTensors, n);
  });
});
