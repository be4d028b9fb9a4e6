import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { InvalidArgumentError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';
import { crossEntropySum, perplexity, perplexityFromLogits } from './language.js';

before(async () => {
  await tf.setBackend('cpu');
});

const close = (actual: number, expected: number, tol = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);

describe('perplexity', () => {
  it('is exp of the mean cross-entropy in nats (hand cases)', () => {
    close(perplexity(0), 1, 0);
    close(perplexity(Math.log(4)), 4, 1e-12);
  });

  it('rejects NaN and negative values', () => {
    assert.throws(() => perplexity(Number.NaN), /received NaN/);
    assert.throws(() => perplexity(-1), InvalidArgumentError);
  });
});

describe('perplexityFromLogits', () => {
  it('uniform logits over V classes give V (hand case)', () => {
    const logits = tf.zeros([3, 7]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 3, 6], 'int32');
    close(perplexityFromLogits(logits, labels), 7, 1e-5);
    tf.dispose([logits, labels]);
  });

  it('hand case: softmax [1/4, 3/4] with labels [1, 0] → exp(−(ln ¾ + ln ¼)/2) = 4/√3', () => {
    const logits = tf.tensor2d([
      [0, Math.log(3)],
      [0, Math.log(3)],
    ]);
    const labels = tf.tensor1d([1, 0], 'int32');
    close(perplexityFromLogits(logits, labels), 4 / Math.sqrt(3), 1e-5);
    tf.dispose([logits, labels]);
  });

  it('is stable for huge logits (log-softmax, no overflow) and leaks no tensor', () => {
    const logits = tf.tensor2d([
      [1000, 0],
      [-1000, 1000],
    ]);
    const labels = tf.tensor1d([0, 1], 'int32');
    const beforeCount = tf.memory().numTensors;
    close(perplexityFromLogits(logits, labels), 1, 1e-6);
    const { sum, count } = crossEntropySum(
      logits,
      tf.tidy(() => tf.keep(labels)),
    );
    assert.equal(count, 2);
    close(sum, 0, 1e-6);
    assert.equal(tf.memory().numTensors, beforeCount);
    tf.dispose([logits, labels]);
  });

  it('rejects labels out of range and mismatched shapes', () => {
    const logits = tf.zeros([2, 3]) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 3], 'int32');
    const short = tf.tensor1d([0], 'int32');
    assert.throws(
      () => perplexityFromLogits(logits, labels),
      /labels range over \[0, 3\]; expected class ids in \[0, 3\)/,
    );
    assert.throws(() => perplexityFromLogits(logits, labels), InvalidArgumentError);
    assert.throws(() => perplexityFromLogits(logits, short), /2 rows but labels has 1/);
    assert.throws(() => perplexityFromLogits(logits, short), ShapeMismatchError);
    assert.throws(
      // a 1-D tensor where 2-D logits belong, as an untyped caller could pass: the rank check must catch it
      () => perplexityFromLogits(labels as unknown as tf.Tensor2D, labels),
      /expected logits \[batch, classes\]/,
    );
    tf.dispose([logits, labels, short]);
  });
});
