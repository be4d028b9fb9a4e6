import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { DetectionError } from './errors.js';
import { assertClose, loadReference, referenceFeatures, referenceUpstream } from './fixtures.js';
import { roiAlign } from './roi-align.js';

before(async () => {
  await tf.setBackend('cpu');
});

// torchvision 0.14 ops.roi_align outputs and input gradients (backward of Σ out · g), NCHW there,
// permuted to NHWC: boxes.reference.py → boxes.reference.json. Feature map 2×6×7×3 with distinct
// values; five RoIs, two partly outside the map, one smaller than a pixel.
const ref = loadReference();
const rois = tf.tensor2d(ref.features.rois);

describe('roiAlign (torchvision.ops.roi_align)', () => {
  for (const c of ref.roiAlign) {
    const name = `out ${c.outputSize.join('×')}, spatialScale ${c.spatialScale}, samplingRatio ${c.samplingRatio}, aligned ${c.aligned}`;
    it(`matches outputs and gradients: ${name}`, () => {
      const x = referenceFeatures(ref.features.shape);
      const opts = {
        outputSize: c.outputSize,
        spatialScale: c.spatialScale,
        samplingRatio: c.samplingRatio,
        aligned: c.aligned,
      };
      const y = roiAlign(x, rois, opts);
      assert.deepEqual(y.shape, [rois.shape[0], ...c.outputSize, 3]);
      assertClose(y, c.out, 2e-6, 'out');
      const g = referenceUpstream(rois.shape[0], c.outputSize[0], c.outputSize[1], 3);
      const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(roiAlign(f as tf.Tensor4D, rois, opts), g)))(x);
      assertClose(grad, c.grad, 1e-5, 'grad');
      tf.dispose([x, y, g, grad]);
    });
  }

  it('spot-checks the first case by hand', () => {
    // RoI 0 = (1, 1)–(4, 3), 2×2 bins of 2×2 samples, not aligned: bin (0, 0) of channel 0 is the
    // mean of the bilinear values at y ∈ {1.25, 1.75} × x ∈ {1.375, 2.125}.
    const x = referenceFeatures(ref.features.shape);
    const v = x.arraySync()[0] as number[][][];
    const at = (yy: number, xx: number) => {
      const [y0, x0] = [Math.floor(yy), Math.floor(xx)];
      const [ly, lx] = [yy - y0, xx - x0];
      const f = (r: number, s: number) => (v[r] as number[][])[s]?.[0] as number;
      return (
        (1 - ly) * (1 - lx) * f(y0, x0) +
        (1 - ly) * lx * f(y0, x0 + 1) +
        ly * (1 - lx) * f(y0 + 1, x0) +
        ly * lx * f(y0 + 1, x0 + 1)
      );
    };
    const mean = (at(1.25, 1.375) + at(1.25, 2.125) + at(1.75, 1.375) + at(1.75, 2.125)) / 4;
    assert.ok(Math.abs(mean - (ref.roiAlign[0]?.out[0] as number)) < 1e-6, `${mean}`); // 0.5208333
    x.dispose();
  });

  it('returns [0, h, w, C] for no RoIs', () => {
    const x = referenceFeatures(ref.features.shape);
    assert.deepEqual(roiAlign(x, tf.zeros([0, 5]) as tf.Tensor2D, { outputSize: 2 }).shape, [0, 2, 2, 3]);
  });

  it('rejects bad RoIs and options with typed errors', () => {
    const x = referenceFeatures(ref.features.shape);
    const isDet = (re: RegExp) => (e: unknown) => e instanceof DetectionError && re.test(e.message);
    const opts = { outputSize: [2, 2] as [number, number] };
    const map3d: tf.Tensor = tf.zeros([6, 7, 3]); // a 3-D map, as JS callers may pass
    assert.throws(
      () => roiAlign(x, tf.tensor2d([[2, 0, 0, 1, 1]]), opts),
      isDet(/row 0 has batch index 2, but features hold 2 image\(s\)/),
    );
    assert.throws(() => roiAlign(x, tf.tensor2d([[0.5, 0, 0, 1, 1]]), opts), isDet(/batch index 0.5/));
    assert.throws(() => roiAlign(x, tf.tensor2d([[0, 3, 0, 1, 1]]), opts), isDet(/negative width or height/));
    assert.throws(() => roiAlign(x, tf.tensor2d([[0, Number.NaN, 0, 1, 1]]), opts), isDet(/NaN/));
    assert.throws(
      () => roiAlign(x, tf.zeros([1, 4]) as tf.Tensor2D, opts),
      isDet(/rois .*received shape \[1, 4\]/),
    );
    assert.throws(() => roiAlign(map3d as tf.Tensor4D, rois, opts), isDet(/NHWC/));
    assert.throws(() => roiAlign(x, rois, { outputSize: [0, 2] }), OptionsError);
    assert.throws(() => roiAlign(x, rois, { outputSize: 2, spatialScale: -1 }), OptionsError);
  });

  it('leaks no tensors, forward or backward', () => {
    const x = referenceFeatures(ref.features.shape);
    const opts = { outputSize: [2, 2] as [number, number], samplingRatio: 0, aligned: true };
    const n = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      roiAlign(x, rois, opts).dispose();
      tf.grad((f: tf.Tensor) => tf.sum(roiAlign(f as tf.Tensor4D, rois, opts)))(x).dispose();
    }
    assert.equal(tf.memory().numTensors, n);
  });
});
