import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { assertClose } from '../boxes/fixtures.js';
import { taskAlignedAssign } from './assigner.js';

before(async () => {
  await tf.setBackend('cpu');
});

// Four anchor points of an 8-px grid; every class probability 0.5, so only the IoUs rank.
const POINTS = [
  [4, 4],
  [12, 4],
  [4, 12],
  [12, 12],
];
const PRED = [
  [0, 0, 16, 8], // anchor 0: equals box 0
  [8, 0, 16, 8], // anchor 1: IoU 0.5 with box 0
  [0, 8, 8, 16], // anchor 2: equals box 1
  [0, 0, 16, 16], // anchor 3: equals box 2
];
const GT = [
  [0, 0, 16, 8], // class 1, holds anchors 0, 1
  [0, 8, 8, 16], // class 0, holds anchor 2
  [0, 0, 16, 16], // class 0, holds all four
  [0, 0, 0, 0], // padding row
];

function assign(topk: number) {
  return taskAlignedAssign(
    {
      scores: tf.fill([1, 4, 2], 0.5) as tf.Tensor3D,
      boxes: tf.tensor3d([PRED]),
      points: tf.tensor2d(POINTS),
      gtLabels: tf.tensor2d([[1, 0, 0, -1]]),
      gtBoxes: tf.tensor3d([GT]),
      gtMask: tf.tensor2d([[1, 1, 1, 0]]),
    },
    { topk },
  );
}

describe('taskAlignedAssign (hand-computed)', () => {
  it('topk 1: each box takes the anchor whose prediction fits it best', () => {
    const t = assign(1);
    assertClose(t.fgMask, [1, 0, 1, 1]);
    assert.deepEqual(
      Array.from(t.targetGtIdx.dataSync()).filter((_, i) => i !== 1),
      [0, 1, 2],
    );
    assertClose(t.targetBoxes, [...GT[0]!, 0, 0, 0, 0, ...GT[1]!, ...GT[2]!]);
    assertClose(t.targetScores, [0, 1, 0, 0, 1, 0, 1, 0]);
  });

  it('topk 2: anchor 0, wanted by boxes 0 and 2, stays with box 0 (IoU 1 > 0.5); soft scores t/max t · max IoU', () => {
    const t = assign(2);
    assertClose(t.fgMask, [1, 1, 1, 1]);
    assert.deepEqual(Array.from(t.targetGtIdx.dataSync()), [0, 0, 1, 2]);
    // anchor 1: t = 0.5^0.5 · 0.5^6 against box 0's best 0.5^0.5 · 1, times box 0's best IoU 1 → 1/64
    assertClose(t.targetScores, [0, 1, 0, 1 / 64, 1, 0, 1, 0], 1e-6);
  });

  it('assigns nothing to an image without boxes', () => {
    const t = taskAlignedAssign({
      scores: tf.fill([1, 4, 2], 0.5) as tf.Tensor3D,
      boxes: tf.tensor3d([PRED]),
      points: tf.tensor2d(POINTS),
      gtLabels: tf.tensor2d([[-1]]),
      gtBoxes: tf.tensor3d([[[-1, -1, -1, -1]]]),
      gtMask: tf.tensor2d([[0]]),
    });
    assertClose(t.fgMask, [0, 0, 0, 0]);
    assertClose(tf.sum(t.targetScores), [0]);
  });
});
