import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { multiboxPrior } from './anchors.js';
import { DetectionError } from './errors.js';
import { assertClose } from './fixtures.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** The 5 anchors of pixel (i, j) of an h × w × 5 anchor set. */
const pixel = (y: tf.Tensor3D, w: number, i: number, j: number) =>
  y.slice([0, (i * w + j) * 5, 0], [1, 5, 4]);

describe('multiboxPrior (d2l §14.4.1)', () => {
  it("reproduces d2l's 561×728 example", () => {
    const y = multiboxPrior(561, 728, [0.75, 0.5, 0.25], [1, 2, 0.5]);
    assert.deepEqual(y.shape, [1, 2042040, 4]); // d2l: torch.Size([1, 2042040, 4])
    // d2l prints boxes[250, 250, 0, :] = tensor([0.06, 0.07, 0.63, 0.82]); all digits and the other
    // four anchors of that pixel, and two corner pixels, from d2l's multibox_prior in boxes.reference.py
    // biome-ignore format: one anchor per line
    assertClose(pixel(y, 728, 250, 250), [
      0.0551168, 0.0715241, 0.6330701, 0.821524,
      0.1514423, 0.1965241, 0.5367445, 0.696524,
      0.2477679, 0.3215241, 0.440419, 0.571524,
      -0.0645813, 0.181359, 0.7527681, 0.7116891,
      0.1397561, -0.083806, 0.5484307, 0.9768541,
    ], 1e-6);
    // biome-ignore format: one anchor per line
    assertClose(pixel(y, 728, 0, 0), [
      -0.2882898, -0.3741087, 0.2896635, 0.3758913,
      -0.1919643, -0.2491087, 0.1933379, 0.2508913,
      -0.0956387, -0.1241087, 0.0970124, 0.1258913,
      -0.4079879, -0.2642738, 0.4093615, 0.2660563,
      -0.2036505, -0.5294388, 0.2050242, 0.5312213,
    ], 1e-6);
    // biome-ignore format: one anchor per line
    assertClose(pixel(y, 728, 560, 727), [
      0.7103366, 0.6241087, 1.2882899, 1.3741088,
      0.8066621, 0.7491087, 1.1919644, 1.2491088,
      0.9029877, 0.8741087, 1.0956388, 1.1241088,
      0.5906385, 0.7339437, 1.407988, 1.2642738,
      0.7949759, 0.4687787, 1.2036506, 1.5294387,
    ], 1e-6);
    y.dispose();
  });

  it('orders anchors pixel by pixel, sizes first, then ratios (2×3 map, boxes.reference.py)', () => {
    const y = multiboxPrior(2, 3, [0.4, 0.2], [1, 2, 0.5]);
    assert.deepEqual(y.shape, [1, 24, 4]);
    // biome-ignore format: d2l's multibox_prior on a 2×3 map, 4 anchors per pixel
    assertClose(y, [
      0.0333333, 0.05, 0.3, 0.45, 0.1, 0.15, 0.2333333, 0.35, -0.0218951, 0.1085786, 0.3552285, 0.3914214, 0.0723858, -0.0328427, 0.2609476, 0.5328428,
      0.3666667, 0.05, 0.6333333, 0.45, 0.4333333, 0.15, 0.5666667, 0.35, 0.3114382, 0.1085786, 0.6885618, 0.3914214, 0.4057191, -0.0328427, 0.5942809, 0.5328428,
      0.7, 0.05, 0.9666667, 0.45, 0.7666667, 0.15, 0.9, 0.35, 0.6447716, 0.1085786, 1.0218952, 0.3914214, 0.7390525, -0.0328427, 0.9276143, 0.5328428,
      0.0333333, 0.55, 0.3, 0.95, 0.1, 0.65, 0.2333333, 0.85, -0.0218951, 0.6085786, 0.3552285, 0.8914214, 0.0723858, 0.4671573, 0.2609476, 1.0328428,
      0.3666667, 0.55, 0.6333333, 0.95, 0.4333333, 0.65, 0.5666667, 0.85, 0.3114382, 0.6085786, 0.6885618, 0.8914214, 0.4057191, 0.4671573, 0.5942809, 1.0328428,
      0.7, 0.55, 0.9666667, 0.95, 0.7666667, 0.65, 0.9, 0.85, 0.6447716, 0.6085786, 1.0218952, 0.8914214, 0.7390525, 0.4671573, 0.9276143, 1.0328428,
    ], 1e-6);
  });

  it('rejects bad sizes, ratios and map sizes; leaks no tensors', () => {
    const isDet = (re: RegExp) => (e: unknown) => e instanceof DetectionError && re.test(e.message);
    assert.throws(
      () => multiboxPrior(0, 4, [0.5], [1]),
      isDet(/featureMapH: expected a positive integer, received 0/),
    );
    assert.throws(() => multiboxPrior(4, 2.5, [0.5], [1]), isDet(/featureMapW/));
    assert.throws(() => multiboxPrior(4, 4, [], [1]), isDet(/sizes: expected a non-empty list/));
    assert.throws(() => multiboxPrior(4, 4, [0.5], [-1]), isDet(/ratios: .*received \[-1\]/));
    const n = tf.memory().numTensors;
    multiboxPrior(4, 4, [0.5, 0.25], [1, 2]).dispose();
    assert.equal(tf.memory().numTensors, n);
  });
});
