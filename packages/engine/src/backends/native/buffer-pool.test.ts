/**
 * The output pool: reuse by exact length, arrays shared by several tensors, escapes (read out, a
 * view as storage), arrays it did not make, the byte cap, zeroed takes; then the native backend
 * with the pool: values read out or sliced stay intact while later kernels reuse storage, and a
 * training loop reuses its step's arrays.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBackend } from '../../backend.js';
import * as tf from '../../tf.js';
import { BufferPool, IDLE_TAKES, MIN_POOLED_LENGTH } from './buffer-pool.js';
import { type NativeBackend, poolBytes } from './native-backend.js';
import { nativeSkip } from './test-helpers.js';

const N = MIN_POOLED_LENGTH * 4;

describe('BufferPool', () => {
  it('reuses a released array for the next take of the same length only', () => {
    const pool = new BufferPool(1 << 30);
    const a = pool.take(N);
    pool.registered(a);
    pool.released(a);
    assert.notEqual(pool.take(N + 1), a, 'another length gets a new array');
    assert.equal(pool.take(N), a);
    assert.notEqual(pool.take(N), a, 'handed out once');
    assert.deepEqual({ hits: pool.stats().hits, misses: pool.stats().misses }, { hits: 1, misses: 3 });
  });
  it('returns an array shared by two tensors only when both are released', () => {
    const pool = new BufferPool(1 << 30);
    const a = pool.take(N);
    pool.registered(a);
    pool.registered(a);
    pool.released(a);
    assert.notEqual(pool.take(N), a, 'still the storage of the second tensor');
    pool.released(a);
    assert.equal(pool.take(N), a);
  });
  it("never reuses an array whose values, or a view's, were read out", () => {
    const pool = new BufferPool(1 << 30);
    const read = pool.take(N);
    pool.registered(read);
    pool.escaped(read);
    pool.released(read);
    const viewed = pool.take(N);
    pool.registered(viewed);
    const view = viewed.subarray(0, N / 2);
    pool.registered(view);
    pool.escaped(view);
    pool.released(view);
    pool.released(viewed);
    const next = [pool.take(N), pool.take(N)];
    assert.ok(!next.includes(read) && !next.includes(viewed));
    assert.equal(pool.stats().escaped, 2);
  });
  it('reuses an array only once every view of it is released too', () => {
    const pool = new BufferPool(1 << 30);
    const a = pool.take(N);
    pool.registered(a);
    const view = a.subarray(N / 2);
    pool.registered(view);
    pool.released(a);
    assert.notEqual(pool.take(N), a, 'the view still uses it');
    pool.released(view);
    assert.equal(pool.take(N), a);
  });
  it("ignores arrays it did not make (a user's data) and short arrays", () => {
    const pool = new BufferPool(1 << 30);
    const user = new Float32Array(N);
    pool.registered(user);
    pool.released(user);
    assert.notEqual(pool.take(N), user);
    const short = pool.take(MIN_POOLED_LENGTH - 1);
    pool.registered(short);
    pool.released(short);
    assert.notEqual(pool.take(MIN_POOLED_LENGTH - 1), short);
    assert.equal(pool.stats().freeArrays, 0);
  });
  it('keeps at most maxFreeBytes in free arrays, dropping the rest', () => {
    const pool = new BufferPool(N * 4 * 2); // room for two arrays of N floats
    const arrays = [pool.take(N), pool.take(N), pool.take(N)];
    for (const a of arrays) pool.registered(a);
    for (const a of arrays) pool.released(a);
    assert.deepEqual(
      { free: pool.stats().freeArrays, bytes: pool.stats().freeBytes, dropped: pool.stats().dropped },
      { free: 2, bytes: N * 8, dropped: 1 },
    );
    pool.clear();
    assert.equal(pool.stats().freeBytes, 0);
    assert.ok(!arrays.includes(pool.take(N)));
  });
  it('drops free arrays of a length nobody asked for in IDLE_TAKES takes (another model is training)', () => {
    const pool = new BufferPool(1 << 30);
    const old = pool.take(N);
    pool.registered(old);
    pool.released(old);
    for (let i = 0; i < 2 * IDLE_TAKES; i++) {
      const a = pool.take(N + 1); // the next model's shapes, reused step after step
      pool.registered(a);
      pool.released(a);
    }
    assert.equal(pool.stats().freeArrays, 1, 'only the array in use remains');
    assert.equal(pool.stats().freeBytes, (N + 1) * 4);
    assert.notEqual(pool.take(N), old);
  });
  it('takeZeroed clears a reused array; take leaves its old values', () => {
    const pool = new BufferPool(1 << 30);
    const a = pool.take(N).fill(7);
    pool.registered(a);
    pool.released(a);
    assert.equal(pool.take(N)[5], 7);
    pool.released(a);
    const z = pool.takeZeroed(N);
    assert.equal(z, a);
    assert.ok(z.every((v) => v === 0));
  });
  it('with a cap of 0 makes every array fresh', () => {
    const pool = new BufferPool(0);
    const a = pool.take(N);
    pool.registered(a);
    pool.released(a);
    assert.notEqual(pool.take(N), a);
    assert.deepEqual(pool.stats(), {
      hits: 0,
      misses: 0,
      escaped: 0,
      dropped: 0,
      freeBytes: 0,
      freeArrays: 0,
    });
  });
  it('DLPIPE_POOL_MB sets the cap; the default is an eighth of RAM up to 2 GiB', () => {
    assert.equal(poolBytes({ DLPIPE_POOL_MB: '0' }), 0);
    assert.equal(poolBytes({ DLPIPE_POOL_MB: '64' }), 64 << 20);
    const d = poolBytes({});
    assert.ok(d > 0 && d <= 2 ** 31, `default ${d}`);
    assert.equal(poolBytes({ DLPIPE_POOL_MB: 'lots' }), d, 'an unreadable value keeps the default');
  });
});

describe('native backend with the pool', { skip: nativeSkip }, () => {
  const pool = () => (tf.backend() as NativeBackend).pool;
  const big = (seed: number) => tf.randomNormal([N], 0, 1, 'float32', seed);

  it('reuses the storage of a disposed output for the next output of its length', async () => {
    await useBackend('native');
    const x = big(1);
    tf.relu(x).dispose(); // first sight of this length
    const before = pool().stats().hits;
    for (let i = 0; i < 5; i++) tf.relu(x).dispose();
    assert.equal(pool().stats().hits - before, 5);
    x.dispose();
  });
  it('hands pooled storage out as the cpu backend does, and never reuses an array read out', async () => {
    await useBackend('native');
    const y = tf.relu(big(5));
    const values = (tf.backend() as NativeBackend).data.get(y.dataId)!.values;
    const before = pool().stats();
    const read = y.dataSync() as Float32Array;
    assert.equal(read, values, 'the storage itself, no copy');
    y.dispose();
    const z = tf.neg(big(6));
    const after = pool().stats();
    assert.equal(after.escaped - before.escaped, 1);
    assert.notEqual((tf.backend() as NativeBackend).data.get(z.dataId)!.values, read);
    assert.equal(after.hits, before.hits, 'the next output of its length is a fresh array');
    z.dispose();
    tf.neg(big(7)).dispose();
    assert.equal(pool().stats().hits, after.hits + 1, 'an output that nobody read is reused');
  });
  it("the cpu backend's kernels that read an input through bufferSync (Reverse) leave its array reusable", async () => {
    await useBackend('native');
    const y = tf.relu(big(8));
    const before = pool().stats().escaped;
    const r = tf.reverse(y);
    assert.equal(pool().stats().escaped, before, 'no array escaped');
    const [yv, rv] = [y.dataSync(), r.dataSync()];
    assert.deepEqual([rv[0], rv[N - 1]], [yv[N - 1], yv[0]]);
    tf.dispose([y, r]);
  });
  it('values read out with dataSync stay intact after the tensor is disposed and storage is reused', async () => {
    await useBackend('native');
    const x = big(2);
    const y = tf.relu(x);
    const read = y.dataSync();
    const copy = Float32Array.from(read);
    y.dispose();
    const others = Array.from({ length: 3 }, (_, i) => tf.neg(big(10 + i)));
    assert.deepEqual(read, copy);
    tf.dispose([x, ...others]);
  });
  it('a contiguous slice (a view of its source) outlives the disposed source', async () => {
    await useBackend('native');
    const y = tf.relu(big(3));
    const s = tf.slice(y, [0], [N / 2]); // the cpu kernel's no-copy view
    const expected = Float32Array.from(y.dataSync().subarray(0, N / 2));
    y.dispose();
    const others = Array.from({ length: 3 }, (_, i) => tf.neg(big(20 + i)));
    assert.deepEqual(s.dataSync(), expected);
    tf.dispose([s, ...others]);
  });
  it('a reshape sharing storage keeps it until both tensors are gone', async () => {
    await useBackend('native');
    const y = tf.relu(big(4));
    const r = tf.reshape(y, [4, N / 4]);
    const again = tf.tidy(() => tf.relu(big(4)).dataSync().slice());
    y.dispose();
    const others = Array.from({ length: 3 }, (_, i) => tf.neg(big(30 + i)));
    assert.deepEqual(r.dataSync(), again);
    tf.dispose([r, ...others]);
  });
  it("never reuses the array of a user's tensor", async () => {
    await useBackend('native');
    const mine = new Float32Array(N).fill(3);
    tf.tensor1d(mine).dispose();
    const outs = Array.from({ length: 3 }, (_, i) => tf.neg(big(40 + i)));
    assert.ok(mine.every((v) => v === 3));
    tf.dispose(outs);
  });
});
