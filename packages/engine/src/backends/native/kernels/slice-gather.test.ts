/**
 * Native Slice, StridedSlice, GatherV2 and UnsortedSegmentSum against tfjs's cpu kernels: float32,
 * int32 and bool, every axis, masks, negative strides, out-of-range indices and ids, zero sizes.
 * Moved values must be exact (tolerance 0); sums use a relative tolerance of 1e-5.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../../backend.js';
import * as tf from '../../../tf.js';
import { assertSameOnBackends, expectFallback, expectNative, nativeSkip, seeded } from '../test-helpers.js';

const skip = nativeSkip;

const typed = (shape: number[], seed: number): tf.Tensor[] => [
  seeded(shape, seed),
  seeded(shape, seed, 'int32', 50),
  seeded(shape, seed).greater(0),
];

/** The error message `fn` raises on a backend ('no error' when it does not). */
async function errorOn(backend: 'cpu' | 'native', fn: () => unknown): Promise<string> {
  await useBackend(backend);
  try {
    tf.tidy(() => {
      fn();
    });
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

/** Contiguous slices (and splits and unstacks into them): the cpu kernels share storage, asserted. */
const NO_COPY = new Set([
  'slice [6] begin [1] size [3]',
  'slice [4,5] begin [1,0] size [2,5]',
  'slice [4,5] begin [1,1] size [0,2]',
  'stridedSlice [4,5,6] [2,0,0]:[3,5,6]:[1,1,1] masks [0,0,0,0,1]',
  'stridedSlice [4,5] [0,0]:[4,5]:[1,1] masks [0,0,0,0,0]',
  'stridedSlice [5,6] [0,2]:[0,4]:[1,1] masks [1,0,0,0,0]',
  'split [6,4,5] into [1,-1] on axis 0',
  'unstack [2,1,3] on axis 1',
  'unstack [7,3] on axis 0',
]);

/** Asserts the native path of `kernel`, or its no-copy fallback for a case in NO_COPY. */
function expectPath(kernel: string, title: string, fn: () => unknown) {
  return NO_COPY.has(title) ? expectFallback(kernel, 'no-copy', fn) : expectNative(kernel, fn);
}

describe('native Slice and StridedSlice', { skip }, () => {
  const slices: Array<[number[], number[], number[]]> = [
    [[6], [1], [3]],
    [
      [4, 5],
      [1, 2],
      [2, 3],
    ],
    [
      [4, 5],
      [0, 0],
      [4, 2],
    ],
    [
      [3, 4, 5],
      [1, 0, 2],
      [2, -1, 2],
    ],
    [
      [2, 3, 4, 5],
      [0, 1, 1, 0],
      [2, 1, 2, 5],
    ],
    [
      [4, 5],
      [1, 0],
      [2, 5],
    ], // contiguous: cpu's zero-copy view
    [
      [4, 5],
      [1, 1],
      [0, 2],
    ], // empty
    [
      [64, 40, 20],
      [3, 5, 2],
      [60, 30, 17],
    ], // parallel path
  ];
  for (const [shape, begin, size] of slices) {
    it(`slice [${shape}] begin [${begin}] size [${size}] (float32, int32, bool)`, async () => {
      await expectPath('Slice', `slice [${shape}] begin [${begin}] size [${size}]`, () =>
        assertSameOnBackends(() => typed(shape, 1).map((t) => tf.slice(t, begin, size)), 0),
      );
    });
  }
  const strided: Array<[number[], number[], number[], number[], number[]]> = [
    // shape, begin, end, strides, [beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask]
    [[8], [1], [7], [2], [0, 0, 0, 0, 0]],
    [[8], [6], [0], [-2], [0, 0, 0, 0, 0]],
    [
      [5, 6],
      [0, 1],
      [5, 6],
      [2, 2],
      [0, 0, 0, 0, 0],
    ],
    [
      [5, 6],
      [4, 5],
      [0, 0],
      [-1, -2],
      [0, 0, 0, 0, 0],
    ],
    [
      [5, 6],
      [0, 2],
      [0, 4],
      [1, 1],
      [1, 0, 0, 0, 0],
    ], // beginMask on axis 0 (simple slice)
    [
      [5, 6],
      [1, 0],
      [3, 0],
      [1, 3],
      [0, 2, 0, 0, 0],
    ], // endMask on axis 1
    [
      [4, 5, 6],
      [2, 0, 0],
      [3, 5, 6],
      [1, 1, 1],
      [0, 0, 0, 0, 1],
    ], // shrink axis 0 (simple)
    [
      [4, 5, 6],
      [0, 1],
      [0, 4],
      [1, 2],
      [0, 0, 1, 0, 0],
    ], // ellipsis
    [
      [4, 5],
      [0, 0, 0],
      [4, 1, 5],
      [1, 1, 2],
      [0, 0, 0, 2, 0],
    ], // new axis
    [
      [4, 5],
      [0, 0],
      [4, 5],
      [1, 1],
      [0, 0, 0, 0, 0],
    ], // identity
  ];
  for (const [shape, begin, end, strides, masks] of strided) {
    it(`stridedSlice [${shape}] [${begin}]:[${end}]:[${strides}] masks [${masks}]`, async () => {
      const [bm, em, el, na, sh] = masks as [number, number, number, number, number];
      await expectPath(
        'StridedSlice',
        `stridedSlice [${shape}] [${begin}]:[${end}]:[${strides}] masks [${masks}]`,
        () =>
          assertSameOnBackends(
            () => typed(shape, 2).map((t) => tf.stridedSlice(t, begin, end, strides, bm, em, el, na, sh)),
            0,
          ),
      );
    });
  }
  it('gradient of slice (tfjs has none for stridedSlice)', async () => {
    await expectNative('Slice', () =>
      assertSameOnBackends(
        () =>
          tf.grad((x: tf.Tensor) =>
            tf
              .slice(x, [1, 1], [2, 3])
              .mul(seeded([2, 3], 2))
              .sum(),
          )(seeded([4, 5], 1)),
        1e-5,
      ),
    );
  });
  it('strided slice with a shrunk axis and strides: TensorFlow’s result (tfjs’s cpu kernel throws)', async () => {
    // x[2, 0:5:2, 1:6:2] of x[4,5,6]: cpu's sparse output shape drops the shrunk axis but not its stride.
    await useBackend('native');
    const x = seeded([4, 5, 6], 2);
    const got = tf.stridedSlice(x, [2, 0, 1], [3, 5, 6], [1, 2, 2], 0, 0, 0, 0, 1);
    const v = x.dataSync();
    const want = [0, 2, 4].flatMap((i) => [1, 3, 5].map((j) => v[2 * 30 + i * 6 + j]));
    assert.deepEqual(got.shape, [3, 3]);
    assert.deepEqual(Array.from(got.dataSync()), want);
    tf.dispose([x, got]);
    assert.match(
      await errorOn('cpu', () =>
        tf.stridedSlice(seeded([4, 5, 6], 2), [2, 0, 1], [3, 5, 6], [1, 2, 2], 0, 0, 0, 0, 1),
      ),
      /out of range/,
    );
  });
});

describe('native SplitV and Unpack (slices)', { skip }, () => {
  const cases: Array<[number[], number | number[], number]> = [
    [[32, 12], 3, 1],
    [[32, 12], [5, 4, 3], 1],
    [[6, 4, 5], [1, -1], 0],
    [[2, 3, 8], 4, -1],
    [[3, 0, 4], 2, 2],
  ];
  for (const [shape, splits, axis] of cases) {
    it(`split [${shape}] into ${JSON.stringify(splits)} on axis ${axis} (float32, int32, bool)`, async () => {
      await expectPath('SplitV', `split [${shape}] into ${JSON.stringify(splits)} on axis ${axis}`, () =>
        assertSameOnBackends(() => typed(shape, 3).flatMap((t) => tf.split(t, splits, axis)), 0),
      );
    });
  }
  for (const [shape, axis] of [
    [[4, 5, 6], 1],
    [[4, 5, 6], -1],
    [[7, 3], 0],
    [[2, 1, 3], 1],
  ] as Array<[number[], number]>) {
    it(`unstack [${shape}] on axis ${axis} (float32, int32, bool)`, async () => {
      await expectPath('Unpack', `unstack [${shape}] on axis ${axis}`, () =>
        assertSameOnBackends(() => typed(shape, 4).flatMap((t) => tf.unstack(t, axis)), 0),
      );
    });
  }
  it('gradients of split and unstack', async () => {
    await expectNative('SplitV', () =>
      assertSameOnBackends(
        () =>
          tf.grad((x: tf.Tensor) => {
            const [a, b] = tf.split(x, [2, 4], 1) as [tf.Tensor, tf.Tensor];
            const rows = tf.unstack(b, 0);
            return a
              .mul(seeded([3, 2], 5))
              .sum()
              .add(rows[1]!.square().sum());
          })(seeded([3, 6], 1)),
        1e-6,
      ),
    );
  });
});

describe('native GatherV2', { skip }, () => {
  const cases: Array<[number[], number[], number[], number]> = [
    // x shape, indices shape, index values (cycled), axis
    [[5], [3], [4, 0, 4], 0],
    [[6, 4], [7], [5, 0, 2, 2, 1, 3, 0], 0], // the embedding lookup, repeated ids
    [[3, 6, 2], [2, 3], [1, 5, 0, 0, 3, 2], 1],
    [[3, 4, 5], [4], [4, 0, 1, 4], -1],
    [[2, 3], [0], [], 1], // no indices
    [[200, 300], [150], [7, 199, 0, 42, 13], 0], // parallel path
  ];
  for (const [shape, ishape, ids, axis] of cases) {
    it(`x[${shape}] indices[${ishape}] axis ${axis} (float32, int32, bool)`, async () => {
      const n = ishape.reduce((a, b) => a * b, 1);
      const idx = () =>
        tf.tensor(
          Array.from({ length: n }, (_, i) => ids[i % ids.length]!),
          ishape,
          'int32',
        );
      await expectNative('GatherV2', () =>
        assertSameOnBackends(() => typed(shape, 3).map((t) => tf.gather(t, idx(), axis)), 0),
      );
    });
  }
  it('an out-of-range index raises tfjs’s error; batchDims > 0 falls back', async () => {
    const bad = () => tf.gather(seeded([4, 3], 1), tf.tensor1d([1, 4], 'int32'));
    assert.match(await errorOn('cpu', bad), /index value 4 is not in \[0, 3\]/);
    assert.equal(await errorOn('native', bad), await errorOn('cpu', bad));
    await expectFallback('GatherV2', 'attr', () =>
      assertSameOnBackends(
        () =>
          tf.gather(
            seeded([2, 4, 3], 1),
            tf.tensor2d(
              [
                [1, 0],
                [3, 3],
              ],
              [2, 2],
              'int32',
            ),
            1,
            1,
          ),
        0,
      ),
    );
  });
});

describe('native UnsortedSegmentSum (the gradient of gather)', { skip }, () => {
  const cases: Array<[number[], number[], number]> = [
    // x shape, ids (cycled over rows), numSegments
    [[6], [0, 2, 0, 1, 2, 2], 3],
    [[7, 4], [3, 0, 3, 3, 1, -1, 9], 5], // out-of-range ids are skipped
    [[5, 2, 3], [1, 1, 1, 1, 1], 2],
    [[0, 3], [], 4], // no rows: zeros
    [[400, 96], [5, 17, 5, 0, 19, 5, 13], 20], // parallel path (columns split)
  ];
  for (const [shape, ids, numSegments] of cases) {
    it(`x[${shape}] ids [${ids}] numSegments ${numSegments}`, async () => {
      const idT = () =>
        tf.tensor1d(
          Array.from({ length: shape[0]! }, (_, i) => ids[i % ids.length]!),
          'int32',
        );
      await expectNative('UnsortedSegmentSum', () =>
        assertSameOnBackends(() => tf.unsortedSegmentSum(seeded(shape, 4, 'float32', 3), idT(), numSegments)),
      );
      if (shape[0]! > 0) {
        await expectFallback('UnsortedSegmentSum', 'dtype', () =>
          assertSameOnBackends(() => tf.unsortedSegmentSum(seeded(shape, 4, 'int32', 9), idT(), numSegments)),
        );
      }
    });
  }
  it('gradient of an embedding lookup (gather) sums repeated ids', async () => {
    await expectNative(['GatherV2', 'UnsortedSegmentSum'], () =>
      assertSameOnBackends(
        () =>
          tf.grad((table: tf.Tensor) =>
            tf
              .gather(
                table,
                tf.tensor2d(
                  [
                    [1, 3, 1],
                    [0, 1, 5],
                  ],
                  [2, 3],
                  'int32',
                ),
              )
              .mul(seeded([2, 3, 4], 2))
              .sum(),
          )(seeded([6, 4], 1)),
        1e-5,
      ),
    );
  });
  it('no tensors leak across repeated gathers and their gradients', async () => {
    await useBackend('native');
    const table = seeded([10, 4], 1);
    const ids = tf.tensor1d([1, 3, 1, 9], 'int32');
    const step = () =>
      tf.tidy(() =>
        tf.grad((t: tf.Tensor) => tf.slice(tf.gather(t, ids), [0, 1], [4, 2]).square().sum())(table),
      );
    tf.dispose(step());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.dispose(step());
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([table, ids]);
  });
});
