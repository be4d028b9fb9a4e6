/**
 * `tf.dropout` through `DlpipeDropout`: kept elements are x/(1−rate) exactly and dropped ones 0,
 * the kept fraction is 1−rate within 4σ, a seed fixes the mask (and another seed changes it), the
 * gradient is the mask times the upstream gradient, the kernel ran, the cpu backend's JavaScript
 * twin gives the same numbers bit for bit; a noise shape, rate 0 and the
 * fusion switch keep tfjs's dropout.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useBackend } from '../backend.js';
import { diffDispatchCounts, dispatchCounts } from '../backends/native/dispatch-counts.js';
import { DROPOUT } from '../backends/native/kernels/fused-names.js';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '../backends/native/test-helpers.js';
import * as tf from '../tf.js';

const skip = nativeSkip;

describe('tf.dropout through the native kernel', { skip }, () => {
  before(async () => {
    await useBackend('native');
  });

  it('keeps 1 − rate of the elements, scaled by 1/(1 − rate); a seed fixes the mask', async () => {
    const n = 100_000;
    const rate = 0.3;
    const x = tf.add(seeded([n], 1), 2); // in [1, 3): never 0
    const xs = x.dataSync();
    let y: Float32Array = new Float32Array();
    await expectNative(DROPOUT, () => {
      y = tf.tidy(() => tf.dropout(x, rate, undefined, 7).dataSync() as Float32Array);
    });
    let kept = 0;
    y.forEach((v, i) => {
      if (v === 0) return;
      kept++;
      assert.ok(Math.abs(v - xs[i]! / (1 - rate)) <= 1e-6 * Math.abs(v), `element ${i}`);
    });
    const sd = Math.sqrt(n * rate * (1 - rate));
    assert.ok(Math.abs(kept - n * (1 - rate)) < 4 * sd, `${kept} kept of ${n}`);
    const again = tf.tidy(() => tf.dropout(x, rate, undefined, 7).dataSync());
    assert.deepEqual(again, y);
    const other = tf.tidy(() => tf.dropout(x, rate, undefined, 8).dataSync());
    assert.notDeepEqual(other, y);
    x.dispose();
  });

  it('passes the gradient through the kept elements only', async () => {
    const x = tf.add(seeded([3, 50], 2), 2);
    const w = seeded([3, 50], 3);
    await expectNative(DROPOUT, () => {
      const [y, g] = tf.tidy(() => {
        const out = tf.dropout(x, 0.5, undefined, 11);
        const grad = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.dropout(v, 0.5, undefined, 11), w)))(x);
        return [out, grad];
      });
      const [yv, gv, xv, wv] = [y!, g!, x, w].map((t) => t.dataSync());
      gv!.forEach((d, i) => {
        const mask = yv![i]! / xv![i]!; // 0 or 2
        assert.ok(Math.abs(d - mask * wv![i]!) < 1e-6, `element ${i}: ${d} vs ${mask * wv![i]!}`);
      });
      tf.dispose([y!, g!]);
    });
    tf.dispose([x, w]);
  });

  it('gives the same mask, output and gradient on the cpu backend (its JavaScript twin)', async () => {
    await expectNative(DROPOUT, () =>
      assertSameOnBackends(() => {
        const x = tf.add(seeded([7, 33, 5], 4), 2);
        const y = tf.dropout(x, 0.37, undefined, 12345);
        const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.dropout(v, 0.37, undefined, 99), x)))(x);
        return [y, g];
      }, 0),
    );
    await useBackend('native');
  });

  it("keeps tfjs's dropout for a noise shape, rate 0 and with the fusion off", () => {
    const x = seeded([4, 6], 1);
    const ran = (f: () => tf.Tensor) => {
      const before = dispatchCounts();
      tf.dispose(f());
      return diffDispatchCounts(dispatchCounts(), before)[DROPOUT]?.native ?? 0;
    };
    assert.equal(
      ran(() => tf.dropout(x, 0.5, [4, 1], 1)),
      0,
      'noise shape',
    );
    assert.equal(
      ran(() => tf.dropout(x, 0)),
      0,
      'rate 0',
    );
    const was = tf.setOpFusion(false);
    assert.equal(
      ran(() => tf.dropout(x, 0.5)),
      0,
      'fusion off',
    );
    tf.setOpFusion(was);
    assert.equal(
      ran(() => tf.dropout(x, 0.5)),
      1,
      'fused',
    );
    x.dispose();
  });
});
