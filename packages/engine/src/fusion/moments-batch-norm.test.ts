/**
 * The moments → batchNorm fusion against tfjs's own ops: forward values and the gradients of x,
 * scale and offset (also when the statistics enter the loss themselves) equal the cpu backend's
 * (tfjs, unfused) on odd shapes, ranks 2–4, keepDims, absent/broadcast scale and offset; the fused
 * kernels ran and tfjs's FusedBatchNorm did not; anything but the exact pattern runs tfjs's ops;
 * and a plain-op net trained 20 SGD steps fused gives the same loss curve as unfused.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useBackend } from '../backend.js';
import { diffDispatchCounts, dispatchCounts } from '../backends/native/dispatch-counts.js';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from '../backends/native/kernels/fused-names.js';
import { assertSameOnBackends, expectNative, nativeSkip, seeded } from '../backends/native/test-helpers.js';
import * as tf from '../tf.js';

const skip = nativeSkip;

type Param = 'none' | 'vector' | 'rank4' | 'scalar';

interface Case {
  shape: number[];
  axes: number[];
  keepDims?: boolean;
  scale?: Param;
  offset?: Param;
  /** Add Σ mean·u + Σ variance·v to the loss: the statistics' own gradient. */
  statsInLoss?: boolean;
}

const cases: Case[] = [
  { shape: [2, 3, 4, 5], axes: [0, 1, 2] },
  { shape: [4, 9, 9, 64], axes: [0, 1, 2], statsInLoss: true },
  { shape: [6, 5], axes: [0], scale: 'none', offset: 'none' },
  { shape: [3, 7, 3], axes: [1, 0], keepDims: true, statsInLoss: true },
  { shape: [2, 5, 3, 4], axes: [-2, 0, 1], keepDims: true, scale: 'rank4', offset: 'rank4' },
  { shape: [5, 2, 2, 3], axes: [0, 1, 2], scale: 'scalar', offset: 'scalar' },
  { shape: [1, 1, 1, 3], axes: [0, 1, 2] }, // one value per channel: variance 0
];

const describeCase = (c: Case) =>
  `x[${c.shape}] axes [${c.axes}]${c.keepDims ? ' keepDims' : ''} scale ${c.scale ?? 'vector'} offset ${
    c.offset ?? 'vector'
  }${c.statsInLoss ? ', statistics in the loss' : ''}`;

function param(kind: Param, c: number, seed: number): tf.Tensor | undefined {
  if (kind === 'none') return undefined;
  if (kind === 'scalar') return seeded([1], seed).add(1.5).reshape([]);
  const v = seeded([c], seed).add(1.5);
  return kind === 'rank4' ? v.reshape([1, 1, 1, c]) : v;
}

/** y and the gradients of Σ y·w (+ the statistics' terms) with respect to x, scale and offset. */
function run(k: Case): tf.Tensor[] {
  const c = k.shape.at(-1)!;
  const x = seeded(k.shape, 1, 'float32', 3).add(0.5);
  const scale = param(k.scale ?? 'vector', c, 2);
  const offset = param(k.offset ?? 'vector', c, 3);
  const w = seeded(k.shape, 4);
  const f = (xv: tf.Tensor, s?: tf.Tensor, o?: tf.Tensor) => {
    const { mean, variance } = tf.moments(xv, k.axes, k.keepDims);
    // The reference (cpu) spells batch norm out: tfjs's own batchNorm gradient refuses statistics
    // and parameters of different ranks, and absent ones.
    const y =
      tf.getBackend() === 'cpu'
        ? tf.add(tf.mul(tf.div(tf.sub(xv, mean), tf.sqrt(tf.add(variance, 1e-5))), s ?? 1), o ?? 0)
        : tf.batchNorm(xv, mean, variance, o, s, 1e-5);
    let loss = tf.sum(tf.mul(y, w));
    if (k.statsInLoss) {
      loss = loss.add(tf.sum(tf.mul(mean, seeded(mean.shape, 5)))).add(tf.sum(tf.mul(variance, 0.7)));
    }
    return { y, loss };
  };
  const args = [x, scale, offset].filter((t): t is tf.Tensor => t !== undefined);
  const grads = tf.grads((...a: tf.Tensor[]) => {
    const [xv, ...rest] = a;
    const s = scale ? rest.shift() : undefined;
    const o = offset ? rest.shift() : undefined;
    return f(xv!, s, o).loss as tf.Scalar;
  })(args);
  return [f(x, scale, offset).y, ...grads];
}

describe('moments → batchNorm fusion', { skip }, () => {
  before(async () => {
    await useBackend('native');
  });

  for (const k of cases) {
    it(`equals tfjs's ops: ${describeCase(k)}`, async () => {
      const counts = await expectNative([BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD], () =>
        assertSameOnBackends(() => run(k), 1e-4, describeCase(k)),
      );
      assert.equal(counts.FusedBatchNorm, undefined, 'tfjs batchNorm kernel ran');
      assert.equal(counts.Square, undefined, "tfjs moments' square ran");
    });
  }

  it("leaves other statistics and other axes to tfjs's ops", async () => {
    // [what, fn, fused-kernel calls: one per moments over the batch axes, none from batchNorm]
    const cases: [string, () => tf.Tensor, number][] = [
      [
        'axes without every batch axis',
        () => {
          const x = seeded([2, 3, 4, 5], 1);
          const { mean, variance } = tf.moments(x, [1, 2], true);
          return tf.batchNorm(x, mean, variance);
        },
        0,
      ],
      [
        'statistics of another tensor',
        () => {
          const x = seeded([4, 5], 1);
          const { mean, variance } = tf.moments(seeded([4, 5], 2), [0]);
          return tf.batchNorm(x, mean, variance);
        },
        1,
      ],
      [
        'mean and variance from two calls',
        () => {
          const x = seeded([4, 5], 1);
          const a = tf.moments(x, [0]);
          const b = tf.moments(x, [0]);
          return tf.batchNorm(x, a.mean, b.variance);
        },
        2,
      ],
    ];
    for (const [what, fn, momentsCalls] of cases) {
      const before = dispatchCounts();
      await assertSameOnBackends(fn, 1e-5, what);
      const counts = diffDispatchCounts(dispatchCounts(), before);
      const tfjs = counts.FusedBatchNorm;
      assert.ok(tfjs && tfjs.native + tfjs.fallback > 0, `${what}: tfjs's batchNorm should run`);
      assert.equal(counts[BATCH_NORM_TRAIN]?.native ?? 0, momentsCalls, `${what}: fused kernel calls`);
    }
  });

  it('trains a plain-op net to the same loss curve fused and unfused over 20 SGD steps', () => {
    const curve = (fused: boolean) => {
      const was = tf.setOpFusion(fused);
      try {
        const x = seeded([8, 6, 6, 3], 11, 'float32', 2) as tf.Tensor4D;
        const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'), 4);
        const vars = [
          tf.variable(seeded([3, 3, 3, 8], 12, 'float32', 0.4)),
          tf.variable(tf.ones([8])),
          tf.variable(tf.zeros([8])),
          tf.variable(seeded([8, 4], 13, 'float32', 0.5)),
        ];
        const [kernel, gamma, beta, dense] = vars as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
        const opt = tf.train.sgd(0.1);
        const before = dispatchCounts();
        const losses: number[] = [];
        for (let step = 0; step < 20; step++) {
          const loss = opt.minimize(() => {
            const h = tf.conv2d(x, kernel as tf.Tensor4D, 1, 'same');
            const { mean, variance } = tf.moments(h, [0, 1, 2]);
            const y = tf.relu(tf.batchNorm(h, mean, variance, beta, gamma, 1e-5));
            const logits = tf.matMul(tf.mean(y, [1, 2]), dense);
            return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
          }, true);
          losses.push(loss!.dataSync()[0]!);
          loss!.dispose();
        }
        const counts = diffDispatchCounts(dispatchCounts(), before);
        tf.dispose([x, labels, ...vars]);
        opt.dispose();
        return { losses, fusedRan: (counts[BATCH_NORM_TRAIN_GRAD]?.native ?? 0) === 20 };
      } finally {
        tf.setOpFusion(was);
      }
    };
    const fused = curve(true);
    const plain = curve(false);
    assert.ok(fused.fusedRan, 'the fused gradient ran once per step');
    assert.ok(!plain.fusedRan, 'unfused ran tfjs ops');
    assert.ok(plain.losses[19]! < plain.losses[0]! * 0.95, `the net learns: ${plain.losses}`);
    fused.losses.forEach((l, i) => {
      assert.ok(
        Math.abs(l - plain.losses[i]!) <= 1e-4 * Math.max(1, Math.abs(l)),
        `step ${i}: ${l} vs ${plain.losses[i]}`,
      );
    });
  });
});
