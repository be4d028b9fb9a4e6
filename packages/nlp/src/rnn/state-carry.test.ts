import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Rng, setSeed } from '@dlpipe/core';
import { type DataSource, fit, initBackend, tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';
import { lmDataSource } from './lm-data.js';
import { type LMBatch, RNNLM } from './rnn-lm.js';

before(async () => {
  await initBackend();
});

const ids = (rows: number[][]) => tf.tensor2d(rows, undefined, 'int32');
const X1 = [
  [1, 2, 3],
  [4, 1, 2],
];
const X2 = [
  [4, 1, 2],
  [3, 4, 1],
];
const values = (ts: readonly tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

/** The corpus "0 1 2 … 9" repeated: enough for a few sequential batches of 2 × 5. */
const corpus = Array.from({ length: 240 }, (_, i) => (i * 7) % 10);

describe('sequential partitioning carries the hidden state (d2l train_epoch_ch8)', () => {
  for (const [impl, kind] of [
    ['scratch', 'gru'],
    ['layers', 'lstm'],
    ['scratch', 'rnn'],
  ] as const) {
    it(`${impl} ${kind}: a continuing batch starts from the last batch's final state`, () => {
      setSeed(3);
      const lm = new RNNLM({ vocabSize: 5, kind, numHiddens: 6, impl });
      lm.loss({ X: ids(X1), Y: ids(X2), continues: false });
      const carried = lm.carriedState;
      assert.ok(carried, 'a sequential batch keeps its final state');
      // The carried state is the final state of X1 from zeros.
      assert.deepEqual(values(carried.flat()), values(lm.forward(ids(X1)).state.flat()));
      const fromCarried = Array.from(
        lm
          .forward(
            ids(X2),
            carried.map((s) => s.map((t) => t.clone())),
          )
          .logits.dataSync(),
      );
      const fromZeros = Array.from(lm.forward(ids(X2)).logits.dataSync());
      const next = lm.loss({ X: ids(X2), Y: ids(X1), continues: true });
      assert.deepEqual(Array.from(next.yHat!.dataSync()), fromCarried);
      assert.notDeepEqual(fromCarried, fromZeros);
      // An epoch's first batch (continues: false) starts from zeros again.
      const first = lm.loss({ X: ids(X2), Y: ids(X1), continues: false });
      assert.deepEqual(Array.from(first.yHat!.dataSync()), fromZeros);
      // Random partitioning (no `continues`) keeps nothing.
      lm.loss({ X: ids(X2), Y: ids(X1) });
      assert.equal(lm.carriedState, undefined);
      lm.dispose();
    });
  }

  it('releases each carried state once the step after next begins, and on resetState', () => {
    setSeed(5);
    const lm = new RNNLM({ vocabSize: 5, kind: 'lstm', numHiddens: 4, impl: 'scratch' });
    const step = (continues: boolean) =>
      tf.tidy(() => {
        lm.loss({ X: ids(X1), Y: ids(X2), continues });
      });
    step(false);
    const first = lm.carriedState!.flat();
    step(true); // `first` fed this step's forward pass, whose gradients may still need it
    assert.ok(first.every((t) => !t.isDisposed));
    const before = tf.memory().numTensors;
    step(true);
    assert.ok(first.every((t) => t.isDisposed));
    assert.equal(tf.memory().numTensors, before);
    lm.resetState();
    assert.equal(lm.carriedState, undefined);
    assert.equal(tf.memory().numTensors, before - 4); // two LSTM states (H, C) of two steps
    lm.dispose();
  });

  it('lmDataSource marks sequential batches: the first of each epoch false, the rest true', () => {
    const seq = lmDataSource(corpus, { batchSize: 2, numSteps: 5, sampling: 'sequential' });
    const marks = (src: DataSource<LMBatch>) =>
      Array.from(src.batches(0, new Rng(1)) as Iterable<LMBatch>, (b) => {
        tf.dispose([b.X, b.Y]);
        return b.continues;
      });
    const m = marks(seq);
    assert.equal(m[0], false);
    assert.ok(m.length > 2 && m.slice(1).every((c) => c === true));
    const off = lmDataSource(corpus, {
      batchSize: 2,
      numSteps: 5,
      sampling: 'sequential',
      carryState: false,
    });
    assert.ok(marks(off).every((c) => c === undefined));
    assert.ok(marks(lmDataSource(corpus, { batchSize: 2, numSteps: 5 })).every((c) => c === undefined));
  });

  it('a continuing batch of another batch size is refused', () => {
    const lm = new RNNLM({ vocabSize: 5, kind: 'gru', numHiddens: 4, impl: 'scratch' });
    lm.loss({ X: ids(X1), Y: ids(X2), continues: false });
    assert.throws(
      () => lm.loss({ X: ids([[1, 2, 3]]), Y: ids([[2, 3, 4]]), continues: true }),
      (e: unknown) => e instanceof ModelUseError && /has 1 rows but the carried state 2/.test(e.message),
    );
    lm.dispose();
  });
});

describe('training with carried state', () => {
  async function train(impl: 'scratch' | 'layers', carryState: boolean) {
    setSeed(7);
    const lm = new RNNLM({ vocabSize: 10, kind: impl === 'scratch' ? 'gru' : 'lstm', numHiddens: 8, impl });
    const counts: number[] = [];
    const r = await fit(
      lm,
      lmDataSource(corpus, { batchSize: 2, numSteps: 5, sampling: 'sequential', carryState }),
      {
        epochs: 2,
        optimizer: { name: 'adam', lr: 0.01 },
        clipNorm: 1,
        seed: 1,
        logEvery: 1,
        progress: false,
        callbacks: [{ onStepEnd: () => void counts.push(tf.memory().numTensors) }],
      },
    );
    lm.dispose();
    return { losses: r.history.filter((h) => h.kind === 'step').map((h) => Number(h.loss)), counts };
  }

  for (const impl of ['scratch', 'layers'] as const) {
    it(`${impl}: keeps numTensors flat, and differs from a run that resets the state`, async () => {
      const carried = await train(impl, true);
      const reset = await train(impl, false);
      assert.ok(carried.counts.length > 40);
      assert.deepEqual(new Set(carried.counts.slice(1)).size, 1, `numTensors ${carried.counts.join(' ')}`);
      // The first batch starts from zeros either way; from the second on, the carried state counts.
      assert.equal(carried.losses[0], reset.losses[0]);
      assert.notEqual(carried.losses[1], reset.losses[1]);
    });
  }
});
