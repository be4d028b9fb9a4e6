import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Rng, setSeed } from '@dlpipe/core';
import { initBackend, tf } from '@dlpipe/tensor';
import type { EncoderState } from './encoder.js';
import { RNNLM } from './rnn-lm.js';
import { argMax, parseSampling, sampleToken } from './sample-token.js';

before(async () => {
  await initBackend();
});

/** d2l's predict_ch8, written out: warm up on the prefix, then append tf.argMax of the last logits. */
function argmaxDecode(lm: RNNLM, prefix: number[], numPreds: number): number[] {
  const out = [...prefix];
  let state: EncoderState | undefined;
  let X = tf.tensor2d([prefix], [1, prefix.length], 'int32');
  for (let i = 0; i < numPreds; i++) {
    const f = lm.forward(X, state);
    const T = f.logits.shape[1];
    const id = tf.argMax(tf.reshape(tf.slice(f.logits, [0, T - 1, 0], [1, 1, -1]), [-1])).dataSync()[0]!;
    out.push(id);
    state = f.state;
    X = tf.tensor2d([[id]], [1, 1], 'int32');
  }
  return out;
}

/** The length of the cycle the tail of `ids` repeats, if it repeats one of at most 12 tokens. */
function loopLength(ids: number[], tail = 24): number | undefined {
  const t = ids.slice(-tail);
  for (let p = 1; p <= 12; p++) if (t.every((id, i) => i < p || id === t[i - p])) return p;
  return undefined;
}

describe('sampleToken', () => {
  const logits = [0.5, 2, 1, -1];
  it('temperature 0 and top-k 1 are the argmax (the first of equal ones), whatever the generator', () => {
    const rng = new Rng(1);
    for (const o of [{ temperature: 0 }, { temperature: 5, topK: 1 }, {}]) {
      assert.equal(sampleToken(logits, parseSampling(o), rng), 1);
    }
    assert.equal(argMax([3, 7, 7]), 1);
  });

  it('samples softmax(logits / T) over the top k: frequencies match, the rest never come', () => {
    const rng = new Rng(5);
    const o = parseSampling({ temperature: 2, topK: 2 });
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[sampleToken(logits, o, rng)]!++;
    const p1 = 1 / (1 + Math.exp((1 - 2) / 2)); // tokens 1 and 2 kept, logits 2 and 1 at T=2
    assert.deepEqual([counts[0], counts[3]], [0, 0]);
    assert.ok(Math.abs(counts[1]! / 20000 - p1) < 0.015, `${counts[1]! / 20000} vs ${p1}`);
  });

  it('refuses a negative temperature or a fractional top-k', () => {
    assert.throws(() => parseSampling({ temperature: -1 }), /temperature/);
    assert.throws(() => parseSampling({ topK: 1.5 }), /topK/);
  });
});

describe('RNNLM.predict sampling', () => {
  setSeed(3);
  const lm = new RNNLM({ vocabSize: 28, kind: 'gru', numHiddens: 16 });
  const prefix = [3, 8, 5];

  it('temperature 0 (the default) and top-k 1 equal argmax decoding, which loops', () => {
    const greedy = argmaxDecode(lm, prefix, 60);
    assert.deepEqual(lm.predict(prefix, 60), greedy);
    assert.deepEqual(lm.predict(prefix, 60, { temperature: 0, rng: new Rng(1) }), greedy);
    assert.deepEqual(lm.predict(prefix, 60, { temperature: 1, topK: 1, rng: new Rng(2) }), greedy);
    assert.ok(loopLength(greedy) !== undefined, `greedy decoding loops: ${greedy.join(' ')}`);
  });

  it('sampling with a seeded generator repeats, and does not loop as greedy does', () => {
    const a = lm.predict(prefix, 60, { temperature: 1, rng: new Rng(7) });
    assert.deepEqual(lm.predict(prefix, 60, { temperature: 1, rng: new Rng(7) }), a);
    assert.notDeepEqual(lm.predict(prefix, 60, { temperature: 1, rng: new Rng(8) }), a);
    assert.notDeepEqual(a, lm.predict(prefix, 60));
    assert.equal(loopLength(a), undefined, a.join(' '));
    const k3 = lm.predict(prefix, 60, { temperature: 1, topK: 3, rng: new Rng(7) });
    assert.ok(new Set(k3.slice(3)).size >= 2, 'top-3 sampling still varies');
  });
});
