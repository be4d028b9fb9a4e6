/**
 * `tf.fused.conv2d` with the lazy kernel gradient against tfjs's own (customGrad, with
 * `setOpFusion(false)`): values and the gradients of x, filter and bias are the same on odd
 * shapes, strides, paddings, relu and no bias, on the cpu and native backends; the gradients
 * nobody asked for are not computed (no Conv2DBackpropInput for a network's input); cases it does
 * not cover run tfjs's op; and a tfjs-layers CNN trains to the same loss curve over 20 steps.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../backend.js';
import { diffDispatchCounts, dispatchCounts } from '../backends/native/dispatch-counts.js';
import { nativeSkip, seeded } from '../backends/native/test-helpers.js';
import * as tf from '../tf.js';

interface Case {
  x: number[];
  filter: number[];
  strides: number;
  pad: 'same' | 'valid';
  activation: 'linear' | 'relu' | null;
  bias: 'vector' | 'none';
}

const cases: Case[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 5], strides: 1, pad: 'same', activation: 'linear', bias: 'vector' },
  { x: [3, 9, 8, 2], filter: [3, 3, 2, 4], strides: 2, pad: 'same', activation: 'relu', bias: 'vector' },
  { x: [1, 6, 5, 4], filter: [1, 1, 4, 3], strides: 2, pad: 'valid', activation: 'linear', bias: 'none' },
  { x: [2, 11, 11, 1], filter: [7, 7, 1, 6], strides: 2, pad: 'same', activation: 'relu', bias: 'none' },
  { x: [2, 6, 6, 3], filter: [5, 5, 3, 2], strides: 1, pad: 'same', activation: null, bias: 'vector' }, // tfjs-layers' "none"
];

const name = (c: Case) =>
  `x[${c.x}] filter[${c.filter}] stride ${c.strides} ${c.pad} ${c.activation} bias ${c.bias}`;

/** y and the gradients of Σ y·w with respect to x, filter (and bias), fused op as `lazy` says. */
function run(c: Case, lazy: boolean): Float32Array[] {
  const was = tf.setOpFusion(lazy);
  try {
    return tf.tidy(() => {
      const x = seeded(c.x, 1);
      const filter = seeded(c.filter, 2, 'float32', 0.5);
      const bias = c.bias === 'vector' ? seeded([c.filter[3]!], 3) : undefined;
      const f = (...args: tf.Tensor[]) => {
        const y = tf.fused.conv2d({
          x: args[0] as tf.Tensor4D,
          filter: args[1] as tf.Tensor4D,
          bias: args[2],
          strides: c.strides,
          pad: c.pad,
          activation: c.activation as 'linear', // null as tfjs-layers passes it
        });
        return tf.sum(tf.mul(y, seeded(y.shape, 4)));
      };
      const inputs = bias ? [x, filter, bias] : [x, filter];
      const y = tf.fused.conv2d({
        x: x as tf.Tensor4D,
        filter: filter as tf.Tensor4D,
        bias,
        strides: c.strides,
        pad: c.pad,
      });
      const grads = tf.grads(f)(inputs);
      return [y, ...grads].map((t) => t.dataSync() as Float32Array);
    });
  } finally {
    tf.setOpFusion(was);
  }
}

function assertClose(a: Float32Array[], b: Float32Array[]): void {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => {
    const w = b[i]!;
    assert.equal(v.length, w.length);
    const scale = Math.max(1, ...w.map(Math.abs));
    for (let j = 0; j < v.length; j++)
      assert.ok(Math.abs(v[j]! - w[j]!) <= 1e-5 * scale, `output ${i}[${j}]: ${v[j]} vs ${w[j]}`);
  });
}

for (const backend of ['cpu', 'native'] as const) {
  describe(`fused.conv2d's lazy gradient on ${backend}`, {
    skip: backend === 'native' ? nativeSkip : false,
  }, () => {
    for (const c of cases) {
      it(`equals tfjs's customGrad: ${name(c)}`, async () => {
        await useBackend(backend);
        assertClose(run(c, true), run(c, false));
      });
    }
  });
}

describe('fused.conv2d computes only the gradients backprop needs', { skip: nativeSkip }, () => {
  const backpropInputs = (lazy: boolean, activation: 'linear' | null = 'linear') => {
    const was = tf.setOpFusion(lazy);
    try {
      const x = seeded([2, 8, 8, 1], 5) as tf.Tensor4D; // an input image: nothing trains it
      const filter = tf.variable(seeded([3, 3, 1, 4], 6));
      const bias = tf.variable(tf.zeros([4]));
      const before = dispatchCounts();
      const { value, grads } = tf.variableGrads(
        () =>
          tf.sum(
            tf.fused.conv2d({
              x,
              filter: filter as tf.Tensor4D,
              bias,
              strides: 1,
              pad: 'same',
              activation: activation as 'linear', // null as tfjs-layers passes it
            }),
          ) as tf.Scalar,
        [filter, bias],
      );
      const d = diffDispatchCounts(dispatchCounts(), before);
      tf.dispose([value, ...Object.values(grads), x, filter, bias]);
      return { input: d.Conv2DBackpropInput?.native ?? 0, filter: d.Conv2DBackpropFilter?.native ?? 0 };
    } finally {
      tf.setOpFusion(was);
    }
  };
  it("skips the input gradient of an input that is not trained (tfjs's customGrad computes it)", async () => {
    await useBackend('native');
    assert.deepEqual(backpropInputs(true), { input: 0, filter: 1 });
    assert.deepEqual(backpropInputs(true, null), { input: 0, filter: 1 }, 'activation null (tfjs-layers)');
    assert.deepEqual(backpropInputs(false), { input: 1, filter: 1 });
  });
  it("inference (no gradient recorded) and activations it does not cover run tfjs's op", async () => {
    await useBackend('native');
    const x = seeded([1, 6, 6, 2], 7) as tf.Tensor4D;
    const filter = seeded([3, 3, 2, 2], 8) as tf.Tensor4D;
    const before = dispatchCounts();
    const y = tf.fused.conv2d({ x, filter, strides: 1, pad: 'same' });
    assert.equal(diffDispatchCounts(dispatchCounts(), before).FusedConv2D?.native, 1);
    // elu while recording: tfjs's op runs it unfused (conv2d, add, elu), as without dlpipe
    const elu = (a: tf.Tensor) =>
      tf.sum(tf.fused.conv2d({ x: a as tf.Tensor4D, filter, strides: 1, pad: 'same', activation: 'elu' }));
    const mid = dispatchCounts();
    const [g] = tf.grads(elu)([x]);
    const d = diffDispatchCounts(dispatchCounts(), mid);
    assert.equal(d.FusedConv2D, undefined);
    assert.equal(d.Conv2D?.native, 1);
    g!.dispose();
    tf.dispose([x, filter, y]);
  });
});

describe('a tfjs-layers CNN trains to the same loss curve with the lazy gradient', {
  skip: nativeSkip,
}, () => {
  it('20 SGD steps, lazy and tfjs', async () => {
    await useBackend('native');
    const curve = (lazy: boolean) => {
      const was = tf.setOpFusion(lazy);
      try {
        const input = tf.input({ shape: [10, 10, 1] });
        let h = tf.layers
          .conv2d({
            filters: 4,
            kernelSize: 3,
            strides: 2,
            padding: 'same',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
          })
          .apply(input) as tf.SymbolicTensor;
        h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
        h = tf.layers
          .conv2d({
            filters: 6,
            kernelSize: 3,
            activation: 'relu',
            kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
          })
          .apply(h) as tf.SymbolicTensor;
        h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
        const out = tf.layers
          .dense({ units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) })
          .apply(h) as tf.SymbolicTensor;
        const model = tf.model({ inputs: input, outputs: out });
        const x = seeded([8, 10, 10, 1], 9);
        const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
        const opt = tf.train.sgd(0.1);
        const losses: number[] = [];
        for (let step = 0; step < 20; step++) {
          const loss = opt.minimize(
            () =>
              tf.losses.softmaxCrossEntropy(
                labels,
                model.apply(x, { training: true }) as tf.Tensor,
              ) as tf.Scalar,
            true,
          );
          losses.push(loss!.dataSync()[0]!);
          loss!.dispose();
        }
        tf.dispose([x, labels]);
        opt.dispose();
        model.dispose();
        return losses;
      } finally {
        tf.setOpFusion(was);
      }
    };
    const lazy = curve(true);
    const tfjs = curve(false);
    assert.ok(lazy[19]! < lazy[0]! * 0.9, `the loss falls: ${lazy[0]} → ${lazy[19]}`);
    for (const [i, l] of lazy.entries()) {
      assert.ok(Math.abs(l - tfjs[i]!) <= 1e-5 * Math.max(1, Math.abs(l)), `step ${i}: ${l} vs ${tfjs[i]}`);
    }
  });
});
