import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { getRngState, Rng, setRngState, setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';

before(async () => {
  await tf.setBackend('cpu');
});

describe('seeded randomness', () => {
  it('the same seed gives the same model initialization and dropout masks', () => {
    const run = () => {
      setSeed(123);
      const m = tf.sequential({
        layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.dropout({ rate: 0.5 })],
      });
      const y = m.apply(tf.ones([2, 3]), { training: true }) as tf.Tensor;
      return [...m.getWeights().flatMap((w) => Array.from(w.dataSync())), ...Array.from(y.dataSync())];
    };
    const a = run();
    const b = run();
    assert.deepEqual(a, b);
    setSeed(124);
    const c = tf.randomUniform([4]).dataSync();
    setSeed(123);
    const d = tf.randomUniform([4]).dataSync();
    assert.notDeepEqual(Array.from(c), Array.from(d));
  });
  it('state save/restore replays the same numbers', () => {
    setSeed(5);
    Math.random();
    const s = getRngState();
    const a = [Math.random(), Math.random()];
    setRngState(s);
    assert.deepEqual([Math.random(), Math.random()], a);
  });
  it('is uniform enough: mean ≈ 0.5, permutations are permutations', () => {
    const r = new Rng(1);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) sum += r.next();
    assert.ok(Math.abs(sum / 100_000 - 0.5) < 0.005);
    const p = Array.from(r.permutation(100)).sort((x, y) => x - y);
    assert.deepEqual(
      p,
      Array.from({ length: 100 }, (_, i) => i),
    );
  });
  it('refuses a malformed state', () => {
    assert.throws(() => setRngState([1, 2, 3] as never), /4 unsigned 32-bit integers/);
  });
});
