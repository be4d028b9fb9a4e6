import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { boxCenterToCorner, boxCornerToCenter } from './box-convert.js';
import { DetectionError } from './errors.js';
import { assertClose } from './fixtures.js';

before(async () => {
  await tf.setBackend('cpu');
});

describe('box conversion (d2l §14.3)', () => {
  it('converts corner to center and back (d2l: dog and cat boxes round-trip)', () => {
    // d2l §14.3: dog_bbox, cat_bbox = [60.0, 45.0, 378.0, 516.0], [400.0, 112.0, 655.0, 493.0]
    const boxes = tf.tensor2d([
      [60, 45, 378, 516],
      [400, 112, 655, 493],
    ]);
    const c = boxCornerToCenter(boxes);
    assertClose(c, [219, 280.5, 318, 471, 527.5, 302.5, 255, 381]); // hand-computed
    assertClose(boxCenterToCorner(c), [60, 45, 378, 516, 400, 112, 655, 493]);
    // boxes.reference.py: box_corner_to_center of three boxes
    const a = tf.tensor2d([
      [0, 0, 2, 2],
      [1, 1, 3, 4],
      [5, 5, 6, 6],
    ]);
    assertClose(boxCornerToCenter(a), [1, 1, 2, 2, 2, 2.5, 2, 3, 5.5, 5.5, 1, 1]);
  });

  it('works on any rank with a last dim of 4', () => {
    const b = tf.tensor3d([[[0, 0, 4, 2]]]);
    assert.deepEqual(boxCornerToCenter(b).shape, [1, 1, 4]);
    assertClose(boxCenterToCorner(tf.tensor1d([2, 1, 4, 2])), [0, 0, 4, 2]);
  });

  it('rejects a last dim other than 4', () => {
    assert.throws(
      () => boxCornerToCenter(tf.zeros([2, 5])),
      (e: unknown) => e instanceof DetectionError && /last dim of 4.*\[2, 5\]/.test(e.message),
    );
  });
});
