import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { DetectionError } from './errors.js';
import { assertClose, loadReference, referenceFeatures, referenceUpstream } from './fixtures.js';
import { roiPool } from './roi-pool.js';

before(async () => {
  await tf.setBackend('cpu');
});

// torchvision 0.14 ops.roi_pool outputs and input gradients (NHWC here): boxes.reference.py →
// boxes.reference.json, on the same 2×6×7×3 map and five RoIs as the roiAlign tests.
const ref = loadReference();
const rois = tf.tensor2d(ref.features.rois);

describe('roiPool (torchvision.ops.roi_pool)', () => {
  it("reproduces d2l §14.8.2's example", () => {
    const X = tf.range(0, 16).reshape([1, 4, 4, 1]) as tf.Tensor4D;
    const r = tf.tensor2d([
      [0, 0, 0, 20, 20],
      [0, 0, 10, 30, 30],
    ]);
    const y = roiPool(X, r, { outputSize: [2, 2], spatialScale: 0.1 });
    // d2l: tensor([[[[ 5.,  6.], [ 9., 10.]]], [[[ 9., 11.], [13., 15.]]]])
    assert.deepEqual(Array.from(y.dataSync()), [5, 6, 9, 10, 9, 11, 13, 15]);
  });

  for (const c of ref.roiPool) {
    it(`matches outputs and gradients: out ${c.outputSize.join('×')}, spatialScale ${c.spatialScale}`, () => {
      const x = referenceFeatures(ref.features.shape);
      const opts = { outputSize: c.outputSize, spatialScale: c.spatialScale };
      const y = roiPool(x, rois, opts);
      assert.deepEqual(y.shape, [rois.shape[0], ...c.outputSize, 3]);
      assertClose(y, c.out, 1e-6, 'out');
      const g = referenceUpstream(rois.shape[0], c.outputSize[0], c.outputSize[1], 3);
      const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(roiPool(f as tf.Tensor4D, rois, opts), g)))(x);
      assertClose(grad, c.grad, 1e-5, 'grad');
      tf.dispose([x, y, g, grad]);
    });
  }

  it('gives 0 for bins outside the map, rejects bad RoIs, leaks no tensors', () => {
    const x = referenceFeatures(ref.features.shape);
    const outside = roiPool(x, tf.tensor2d([[0, 20, 20, 30, 30]]), { outputSize: 2 });
    assert.deepEqual(Array.from(outside.dataSync()), Array(12).fill(0)); // torchvision: empty bins are 0
    assert.throws(
      () => roiPool(x, tf.tensor2d([[-1, 0, 0, 1, 1]]), { outputSize: 2 }),
      (e: unknown) => e instanceof DetectionError && /batch index -1/.test(e.message),
    );
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      roiPool(x, rois, { outputSize: 2 }).dispose();
      tf.grad((f: tf.Tensor) => tf.sum(roiPool(f as tf.Tensor4D, rois, { outputSize: 2 })))(x).dispose();
    }
    assert.equal(tf.memory().numTensors, n);
  });
});
