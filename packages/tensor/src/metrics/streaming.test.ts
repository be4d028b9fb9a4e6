import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { ShapeMismatchError } from '../errors.js';
import { accuracy, precisionRecallF1 } from './classification.js';
import { ConfusionMetric, F1Metric, PrecisionMetric, RecallMetric } from './confusion-metric.js';
import { perplexityFromLogits } from './language.js';
import { createMetric, METRICS } from './registry.js';
import { AccuracyMetric, MeanMetric, PerplexityMetric, type StreamingMetric } from './streaming.js';

before(async () => {
  await tf.setBackend('cpu');
});

function close(actual: number, expected: number, tol = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} vs ${expected}`);
}

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

interface Batches {
  labels: number[][];
  logits: number[][][];
}

/** `count` batches of `size` samples: random logits [size, classes] and random labels. */
function makeBatches(count: number, size: number, classes: number, seed = 1): Batches {
  const rand = lcg(seed);
  const labels: number[][] = [];
  const logits: number[][][] = [];
  for (let b = 0; b < count; b++) {
    labels.push(Array.from({ length: size }, () => Math.floor(rand() * classes)));
    logits.push(Array.from({ length: size }, () => Array.from({ length: classes }, () => rand() * 4 - 2)));
  }
  return { labels, logits };
}

const argmax = (row: number[]) => row.indexOf(Math.max(...row));

/** Runs `updates` on pre-built tensors and asserts no tensor was left behind. */
function withoutLeaks(pairs: [tf.Tensor, tf.Tensor][], metric: StreamingMetric): void {
  const beforeCount = tf.memory().numTensors;
  for (const [yTrue, yPred] of pairs) metric.update(yTrue, yPred);
  assert.equal(tf.memory().numTensors, beforeCount, `${metric.name} leaked tensors`);
}

function toTensors(batches: Batches, oneHot = false): [tf.Tensor, tf.Tensor][] {
  const classes = batches.logits[0]![0]!.length;
  return batches.labels.map((labels, b) => [
    oneHot ? tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), classes)) : tf.tensor1d(labels, 'int32'),
    tf.tensor2d(batches.logits[b]!),
  ]);
}

const disposeAll = (pairs: [tf.Tensor, tf.Tensor][]) => tf.dispose(pairs.flat());

describe('AccuracyMetric', () => {
  const batches = makeBatches(50, 8, 4);
  const allTrue = batches.labels.flat();
  const allPred = batches.logits.flat().map(argmax);

  it('50 batch-wise updates equal accuracy() on all samples, with no leaked tensor', () => {
    const pairs = toTensors(batches);
    const metric = new AccuracyMetric();
    withoutLeaks(pairs, metric);
    close(metric.result(), accuracy(allTrue, allPred), 1e-15);
    disposeAll(pairs);
  });

  it('accepts one-hot targets', () => {
    const pairs = toTensors(batches, true);
    const metric = new AccuracyMetric();
    withoutLeaks(pairs, metric);
    close(metric.result(), accuracy(allTrue, allPred), 1e-15);
    disposeAll(pairs);
  });

  it('binary: threshold 0.5 on probabilities [batch] and [batch, 1], 0 with fromLogits (hand case)', () => {
    const yTrue = tf.tensor1d([1, 0, 1, 0]);
    const probs = tf.tensor1d([0.9, 0.6, 0.4, 0.1]); // predicted 1, 1, 0, 0 → 2 of 4 right
    const column = tf.tensor2d([[0.9], [0.6], [0.4], [0.1]]);
    const logits = tf.tensor1d([2, -0.1, 0.3, -3]); // predicted 1, 0, 1, 0 → 4 of 4 right
    const a = new AccuracyMetric();
    a.update(yTrue, probs);
    close(a.result(), 0.5);
    a.update(yTrue, column);
    close(a.result(), 0.5);
    const b = new AccuracyMetric({ fromLogits: true });
    b.update(yTrue, logits);
    close(b.result(), 1);
    tf.dispose([yTrue, probs, column, logits]);
  });

  it('is NaN before any update and after reset; rejects mismatched shapes', () => {
    const metric = new AccuracyMetric();
    assert.ok(Number.isNaN(metric.result()));
    const yTrue = tf.tensor1d([0, 1, 2], 'int32');
    const yPred = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    assert.throws(() => metric.update(yTrue, yPred), /yTrue has shape \[3\] for yPred \[2,2\]/);
    assert.throws(() => metric.update(yTrue, yPred), ShapeMismatchError);
    tf.tidy(() => metric.update(yTrue.slice(0, 2), yPred));
    metric.reset();
    assert.ok(Number.isNaN(metric.result()));
    tf.dispose([yTrue, yPred]);
  });
});

describe('F1Metric, PrecisionMetric, RecallMetric', () => {
  const batches = makeBatches(50, 6, 5, 7);
  const allTrue = batches.labels.flat();
  const allPred = batches.logits.flat().map(argmax);

  for (const average of ['macro', 'micro', 'weighted'] as const) {
    it(`${average}: 50 updates equal precisionRecallF1 on all samples, with no leaked tensor`, () => {
      const pairs = toTensors(batches);
      const expected = precisionRecallF1(allTrue, allPred, { average });
      const metrics = [
        [new F1Metric({ average, numClasses: 5 }), expected.f1],
        [new PrecisionMetric({ average }), expected.precision],
        [new RecallMetric({ average }), expected.recall],
      ] as const;
      for (const [metric, value] of metrics) {
        withoutLeaks(pairs, metric);
        close(metric.result(), value, 1e-12);
      }
      disposeAll(pairs);
    });
  }

  it('leaves out classes never seen, like sklearn (class 3 of 4 absent)', () => {
    const yTrue = [0, 1, 2, 2, 1];
    const yPred = [0, 2, 2, 1, 1];
    const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(yPred, 'int32'), 4)); // 4 columns, class 3 unused
    const labels = tf.tensor1d(yTrue, 'int32');
    const metric = new F1Metric({ average: 'macro', zeroDivision: 1 });
    metric.update(labels, oneHot);
    close(metric.result(), precisionRecallF1(yTrue, yPred, { average: 'macro', zeroDivision: 1 }).f1, 1e-12);
    assert.deepEqual(metric.matrix()[3], [0, 0, 0, 0]);
    tf.dispose([oneHot, labels]);
  });

  it("binary average on [batch] probabilities equals precisionRecallF1's default", () => {
    const rand = lcg(3);
    const pairs: [tf.Tensor, tf.Tensor][] = [];
    const allTrueB: number[] = [];
    const allPredB: number[] = [];
    for (let b = 0; b < 10; b++) {
      const y = Array.from({ length: 9 }, () => (rand() < 0.4 ? 1 : 0));
      const p = y.map(() => rand());
      allTrueB.push(...y);
      allPredB.push(...p.map((v) => (v > 0.5 ? 1 : 0)));
      pairs.push([tf.tensor1d(y), tf.tensor1d(p)]);
    }
    const metric = new F1Metric({ average: 'binary' });
    withoutLeaks(pairs, metric);
    close(metric.result(), precisionRecallF1(allTrueB, allPredB).f1, 1e-12);
    disposeAll(pairs);
  });

  it('rejects labels outside the classes, a changing class count, binary with 3 classes, and average none', () => {
    const metric = new F1Metric();
    const logits = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const bad = tf.tensor1d([0, 5], 'int32');
    assert.throws(() => metric.update(bad, logits), /1 labels outside \[0, 3\)/);
    assert.throws(() => metric.update(bad, logits), InvalidArgumentError);
    const two = tf.tensor2d([[1, 0]]);
    const one = tf.tensor1d([0], 'int32');
    tf.tidy(() => metric.update(bad.slice(0, 1), logits.slice(0, 1)));
    assert.throws(
      () => metric.update(one, two),
      /yPred stands for 2 classes; expected 3 \(the classes of the first batch\)/,
    );
    assert.throws(() => new F1Metric({ average: 'binary', numClasses: 3 }), /needs 2 classes/);
    assert.throws(() => new F1Metric({ average: 'none' as 'macro' }), /average must be one of/);
    assert.throws(() => new F1Metric({ average: 'none' as 'macro' }), OptionsError);
    assert.throws(() => new F1Metric({ numClasses: 1 }), OptionsError);
    tf.dispose([logits, bad, two, one]);
  });
});

describe('MeanMetric', () => {
  it('running mean of scalar tensors and numbers, with no leaked tensor (hand case)', () => {
    const losses = Array.from({ length: 50 }, (_, i) => tf.scalar(i));
    const metric = new MeanMetric({ name: 'loss' });
    const beforeCount = tf.memory().numTensors;
    for (const loss of losses) metric.update(loss);
    assert.equal(tf.memory().numTensors, beforeCount);
    close(metric.result(), 24.5); // mean of 0…49
    metric.update(75.5);
    close(metric.result(), (49 * 50) / 2 / 51 + 75.5 / 51);
    tf.dispose(losses);
    assert.equal(metric.name, 'loss');
  });
});

describe('PerplexityMetric', () => {
  const batches = makeBatches(50, 5, 11, 5);

  it('50 updates equal perplexityFromLogits on all tokens, with no leaked tensor', () => {
    const pairs = toTensors(batches);
    const metric = new PerplexityMetric();
    withoutLeaks(pairs, metric);
    const logits = tf.tensor2d(batches.logits.flat());
    const labels = tf.tensor1d(batches.labels.flat(), 'int32');
    close(metric.result(), perplexityFromLogits(logits, labels), 1e-4);
    tf.dispose([logits, labels]);
    disposeAll(pairs);
  });

  it('takes [batch, seq, vocab] logits and probabilities (hand case: uniform over 4 → 4)', () => {
    const logits = tf.zeros([2, 3, 4]);
    const ids = tf.tensor2d(
      [
        [0, 1, 2],
        [3, 2, 1],
      ],
      undefined,
      'int32',
    );
    const metric = new PerplexityMetric();
    metric.update(ids, logits);
    close(metric.result(), 4, 1e-5);
    const probs = tf.fill([2, 3, 4], 0.25);
    const fromProbs = new PerplexityMetric({ fromLogits: false });
    fromProbs.update(ids, probs);
    close(fromProbs.result(), 4, 1e-5);
    tf.dispose([logits, ids, probs]);
  });
});

describe('METRICS and createMetric', () => {
  it('creates every registered metric by name', () => {
    assert.deepEqual(Object.keys(METRICS).sort(), ['accuracy', 'f1', 'perplexity', 'precision', 'recall']);
    for (const name of Object.keys(METRICS)) assert.equal(createMetric(name).name, name);
    assert.ok(createMetric('accuracy') instanceof AccuracyMetric);
    assert.ok(createMetric('recall') instanceof ConfusionMetric);
  });

  it('passes options and metric objects through', () => {
    const f1 = createMetric('f1', { average: 'weighted', name: 'f1_w' }) as F1Metric;
    assert.equal(f1.average, 'weighted');
    assert.equal(f1.name, 'f1_w');
    const mean = new MeanMetric();
    assert.equal(createMetric(mean), mean);
  });

  it('throws an OptionsError listing the known names for an unknown name', () => {
    assert.throws(() => createMetric('auc'), {
      name: 'OptionsError',
      message:
        "unknown metric 'auc'; expected one of accuracy, f1, precision, recall, perplexity " +
        'or an object with update(), result() and reset().',
    });
    assert.throws(() => createMetric('toString'), OptionsError);
    // a number, as an untyped (JS) caller could pass: the runtime check must name what it got
    assert.throws(() => createMetric(42 as unknown as string), {
      name: 'InvalidArgumentError',
      message: /received number/,
    });
  });
});

after(() => {
  // Every test disposes what it made: the engine holds no tensor from this file.
  assert.equal(tf.memory().numTensors, 0);
});
