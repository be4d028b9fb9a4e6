/**
 * Native Transpose, Tile (and broadcastTo), Concat and PadV2 against tfjs's cpu kernels: float32,
 * int32 and bool, odd sizes, size-1 and zero-size dims, every axis; values are moved, not computed,
 * so results must be exact (tolerance 0); gradients (which sum) use 1e-5.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import {
  assertSameOnBackends,
  expectFallback,
  expectNative,
  expectNoDispatch,
  nativeSkip,
  seeded,
} from '../test-helpers.js';

const skip = nativeSkip;

/** The same seeded values as float32, int32 and bool tensors. */
const typed = (shape: number[], seed: number): tf.Tensor[] => [
  seeded(shape, seed),
  seeded(shape, seed, 'int32', 50),
  seeded(shape, seed).greater(0),
];

describe('native Transpose', { skip }, () => {
  const cases: Array<[number[], number[]]> = [
    [[5], [0]],
    [
      [3, 4],
      [1, 0],
    ],
    [
      [2, 3, 4],
      [0, 2, 1],
    ],
    [
      [2, 3, 4],
      [2, 1, 0],
    ],
    [
      [2, 3, 4],
      [1, 2, 0],
    ],
    [
      [2, 5, 4, 3],
      [0, 2, 1, 3],
    ], // the Transformer's head split
    [
      [2, 5, 4, 3],
      [3, 1, 2, 0],
    ],
    [
      [3, 1, 4, 1, 2],
      [4, 2, 0, 3, 1],
    ], // size-1 dims
    [
      [1, 1, 7],
      [2, 0, 1],
    ],
    [
      [2, 3, 4],
      [0, 1, 2],
    ], // identity
    [
      [64, 37, 33],
      [2, 0, 1],
    ], // blocked 2-D path, parallel
    [
      [33, 70, 40],
      [1, 0, 2],
    ], // contiguous runs, parallel
    [
      [3, 0, 4],
      [2, 0, 1],
    ], // zero-size
  ];
  // Rank ≤ 1 never reaches the kernel (tf.transpose returns a clone); an identity perm or one that
  // moves only size-1 axes is a reshape that shares storage.
  const path = (shape: number[], perm: number[]) => {
    if (shape.length <= 1) return 'none';
    return ['1,1,7|2,0,1', '2,3,4|0,1,2'].includes(`${shape}|${perm}`) ? 'no-copy' : 'native';
  };
  for (const [shape, perm] of cases) {
    it(`[${shape}] perm [${perm}] (float32, int32, bool)`, async () => {
      const same = () => assertSameOnBackends(() => typed(shape, 1).map((t) => tf.transpose(t, perm)), 0);
      const p = path(shape, perm);
      if (p === 'none') await expectNoDispatch('Transpose', same);
      else if (p === 'no-copy') await expectFallback('Transpose', 'no-copy', same);
      else await expectNative('Transpose', same);
    });
  }
  it('rank 0, int32 stored as float32 (tfjs’s cpu oneHot), and a gradient through transposes', async () => {
    await expectNoDispatch('Transpose', () => assertSameOnBackends(() => tf.transpose(tf.scalar(3)), 0));
    // oneHot's int32 values live in a Float32Array on cpu: the native kernel leaves them to cpu
    await expectFallback('Transpose', 'storage', () =>
      assertSameOnBackends(() => tf.transpose(tf.oneHot(tf.tensor1d([2, 0, 1], 'int32'), 4), [1, 0]), 0),
    );
    await expectNative('Transpose', () =>
      assertSameOnBackends(
        () =>
          tf.grad((x: tf.Tensor) =>
            tf
              .transpose(x, [2, 0, 1])
              .mul(seeded([4, 2, 3], 2))
              .sum(),
          )(seeded([2, 3, 4], 1)),
        1e-5,
      ),
    );
  });
});

describe('native Tile and broadcastTo', { skip }, () => {
  const cases: Array<[number[], number[]]> = [
    [[3], [4]],
    [
      [2, 3],
      [2, 1],
    ],
    [
      [2, 3],
      [1, 3],
    ],
    [
      [2, 3],
      [3, 2],
    ],
    [
      [2, 1, 3],
      [1, 5, 1],
    ],
    [
      [1, 1, 1, 6],
      [4, 5, 5, 1],
    ], // tfjs's batch-norm gradient tile
    [
      [2, 3, 1, 2],
      [2, 1, 3, 2],
    ],
    [
      [2, 3],
      [0, 2],
    ], // zero reps
    [
      [0, 3],
      [2, 2],
    ], // zero-size input
    [
      [40, 30, 1],
      [1, 1, 50],
    ], // parallel path
  ];
  for (const [shape, reps] of cases) {
    it(`[${shape}] reps [${reps}] (float32, int32, bool)`, async () => {
      await expectNative('Tile', () =>
        assertSameOnBackends(() => typed(shape, 2).map((t) => tf.tile(t, reps)), 0),
      );
    });
  }
  it('broadcastTo: [3,1]→[3,4], [1,4]→[3,4], rank mismatch, scalar', async () => {
    await expectNative('Tile', () =>
      assertSameOnBackends(() => tf.broadcastTo(seeded([3, 1], 1), [3, 4]), 0),
    );
    await expectNative('Tile', () =>
      assertSameOnBackends(() => tf.broadcastTo(seeded([1, 4], 1), [3, 4]), 0),
    );
    await expectNative('Tile', () =>
      assertSameOnBackends(() => tf.broadcastTo(seeded([4], 1), [2, 3, 4]), 0),
    );
    await expectNative('Tile', () => assertSameOnBackends(() => tf.broadcastTo(tf.scalar(2), [2, 3]), 0));
    await expectFallback('Tile', 'shape', () => assertSameOnBackends(() => tf.tile(tf.scalar(2), []), 0));
  });
  it('gradient of tile', async () => {
    await expectNative('Tile', () =>
      assertSameOnBackends(
        () =>
          tf.grad((x: tf.Tensor) =>
            tf
              .tile(x, [2, 3])
              .mul(seeded([6, 6], 2))
              .sum(),
          )(seeded([3, 2], 1)),
        1e-5,
      ),
    );
  });
});

describe('native Concat', { skip }, () => {
  const shapesOf = (base: number[], axis: number, sizes: number[]) =>
    sizes.map((n) => base.map((d, i) => (i === (axis < 0 ? base.length + axis : axis) ? n : d)));
  const cases: Array<[number[], number, number[]]> = [
    [[4], 0, [3, 2]],
    [[3, 4], 0, [1, 2, 3]],
    [[3, 4], 1, [2, 5]],
    [[2, 3, 4], -1, [1, 1, 2]],
    [[2, 3, 4], 1, [3, 0, 2]], // an empty part
    [[2, 3, 4], 0, [0, 0]], // all empty
    [[64, 30, 20], 1, [30, 17]], // parallel path
    [[2, 3], 1, [3]], // one input
  ];
  for (const [base, axis, sizes] of cases) {
    it(`[${base}] axis ${axis} sizes [${sizes}] (float32, int32, bool)`, async () => {
      const shapes = shapesOf(base, axis, sizes);
      const expect = sizes.length === 1 ? expectNoDispatch : expectNative; // one input: a clone
      for (let k = 0; k < 3; k++) {
        await expect('Concat', () =>
          assertSameOnBackends(
            () =>
              tf.concat(
                shapes.map((s, i) => typed(s, i + 1)[k]!),
                axis,
              ),
            0,
          ),
        );
      }
    });
  }
  it('mismatched shapes raise tfjs’s error; gradients split back', async () => {
    const message = async (backend: 'cpu' | 'native') => {
      await useBackend(backend);
      try {
        tf.tidy(() => tf.concat([tf.zeros([2, 3]), tf.zeros([3, 3])], 1));
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    assert.match(await message('cpu'), /does not match the shape of the rest/);
    assert.equal(await message('native'), await message('cpu'));
    await expectNative('Concat', () =>
      assertSameOnBackends(
        () =>
          tf.grads((a: tf.Tensor, b: tf.Tensor) =>
            tf
              .concat([a, b], 1)
              .mul(seeded([2, 5], 3))
              .sum(),
          )([seeded([2, 2], 1), seeded([2, 3], 2)]),
        1e-5,
      ),
    );
  });
});

describe('native PadV2', { skip }, () => {
  const cases: Array<[number[], Array<[number, number]>, number]> = [
    [[3], [[1, 2]], 0],
    [
      [2, 3],
      [
        [0, 1],
        [2, 0],
      ],
      0,
    ],
    [
      [2, 3, 4],
      [
        [1, 1],
        [0, 0],
        [2, 3],
      ],
      7,
    ],
    [
      [1, 5, 5, 2],
      [
        [0, 0],
        [2, 2],
        [2, 2],
        [0, 0],
      ],
      -1,
    ],
    [
      [0, 3],
      [
        [1, 1],
        [1, 1],
      ],
      4,
    ], // zero-size input: all padding
  ];
  for (const [shape, paddings, value] of cases) {
    it(`[${shape}] paddings ${JSON.stringify(paddings)} value ${value} (float32, int32, bool)`, async () => {
      await expectNative('PadV2', () =>
        assertSameOnBackends(
          () => typed(shape, 3).map((t) => tf.pad(t, paddings, t.dtype === 'bool' ? 1 : value)),
          0,
        ),
      );
    });
  }
  it('gradient of pad; no tensors leak across repeated layout calls', async () => {
    await expectNative('PadV2', () =>
      assertSameOnBackends(
        () =>
          tf.grad((x: tf.Tensor) =>
            tf
              .pad(x, [
                [1, 2],
                [0, 3],
              ])
              .mul(seeded([5, 5], 2))
              .sum(),
          )(seeded([2, 2], 1)),
        1e-5,
      ),
    );
    await useBackend('native');
    const x = seeded([4, 5, 6], 1);
    const step = () =>
      tf.tidy(() =>
        tf.concat(
          [
            tf.pad(tf.transpose(x, [2, 0, 1]), [
              [0, 0],
              [1, 1],
              [0, 0],
            ]),
            tf.tile(tf.transpose(x, [2, 0, 1]), [1, 1, 1]),
          ],
          1,
        ),
      );
    tf.dispose(step());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.dispose(step());
    assert.equal(tf.memory().numTensors, before);
    x.dispose();
  });
});
