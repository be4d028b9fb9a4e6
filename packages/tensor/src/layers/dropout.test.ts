import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OptionsError, setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { dropout } from './dropout.js';

before(async () => {
  await tf.setBackend('cpu');
  setSeed(3);
});

describe('dropout', () => {
  it('keeps the expectation at training (scaled by 1/(1-p)) and zeroes about p of the elements', () => {
    const x = tf.ones([200_000]);
    const y = dropout(x, 0.3, { training: true });
    const v = Array.from(y.dataSync());
    const zeros = v.filter((a) => a === 0).length / v.length;
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    assert.ok(Math.abs(zeros - 0.3) < 0.005, `dropped fraction ${zeros}`);
    assert.ok(Math.abs(mean - 1) < 0.01, `mean ${mean}`);
    assert.ok(v.every((a) => a === 0 || Math.abs(a - 1 / 0.7) < 1e-6));
    tf.dispose([x, y]);
  });
  it('is the identity at inference', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const y = dropout(x, 0.5);
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3]);
    tf.dispose([x, y]);
  });
  it('rate 1 drops everything, bad rates are refused', () => {
    const x = tf.ones([4]);
    assert.deepEqual(Array.from(dropout(x, 1, { training: true }).dataSync()), [0, 0, 0, 0]);
    assert.throws(() => dropout(x, 1.5, { training: true }), /rate must be in \[0, 1\]/);
    assert.throws(() => dropout(x, -0.1, { training: true }), OptionsError);
  });
});
