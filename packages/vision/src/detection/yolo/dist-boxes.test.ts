import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { DetectionError } from '../boxes/errors.js';
import { assertClose } from '../boxes/fixtures.js';
import { anchorPoints, boxToDist, distToBox } from './dist-boxes.js';

before(async () => {
  await tf.setBackend('cpu');
});

describe('anchor grid and ltrb distances', () => {
  it('puts one point at each cell centre, stride 8 grid first', () => {
    const g = anchorPoints(64, [8, 16, 32]);
    assert.deepEqual(g.counts, [64, 16, 4]);
    assert.deepEqual(g.points.shape, [84, 2]);
    const p = g.points.arraySync();
    assert.deepEqual(
      [p[0], p[1], p[8], p[64], p[83]],
      [
        [4, 4],
        [12, 4],
        [4, 12],
        [8, 8],
        [48, 48],
      ],
    );
    assert.deepEqual([g.strides.arraySync()[63], g.strides.arraySync()[64]], [[8], [16]]);
  });

  it('decode(encode(boxes)) gives the boxes back', () => {
    const g = anchorPoints(64, [8, 16, 32]);
    const boxes = tf.randomUniform([2, 84, 4], 0, 64, 'float32', 1);
    const sorted = tf.concat(
      [
        tf.minimum(boxes.slice([0, 0, 0], [-1, -1, 2]), boxes.slice([0, 0, 2], [-1, -1, 2])),
        tf.maximum(boxes.slice([0, 0, 0], [-1, -1, 2]), boxes.slice([0, 0, 2], [-1, -1, 2])),
      ],
      2,
    );
    const dist = boxToDist(g.points, sorted);
    assertClose(distToBox(g.points, dist), Array.from(sorted.dataSync()), 1e-4);
    // a box around its point has positive distances: (4,4) to [0, 1, 10, 6] → l 4, t 3, r 6, b 2
    assertClose(boxToDist(tf.tensor2d([[4, 4]]), tf.tensor2d([[0, 1, 10, 6]])), [4, 3, 6, 2]);
  });

  it('rejects strides that do not divide the image size', () => {
    assert.throws(() => anchorPoints(100, [8, 16, 32]), DetectionError);
    assert.throws(() => anchorPoints(100, [8, 16, 32]), /multiple of 32/);
  });
});
