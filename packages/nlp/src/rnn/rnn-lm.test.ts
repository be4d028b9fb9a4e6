import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setSeed } from '@dlpipe/core';
import { fit, initBackend, PerplexityMetric, perplexityFromLogits, tf } from '@dlpipe/tensor';
import { ModelUseError, VocabError } from '../errors.js';
import { Vocab } from '../vocab/vocab.js';
import { lmDataSource } from './lm-data.js';
import { loadRNNLM, saveRNNLM } from './lm-io.js';
import { TokenPerplexity } from './perplexity-metric.js';
import { RNNLM } from './rnn-lm.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-rnnlm-'));
before(async () => {
  await initBackend();
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A periodic toy corpus: "abcdabcd…" over a vocab of <unk> a b c d. */
const vocab = new Vocab(['<unk>', 'a', 'b', 'c', 'd']);
const corpus = vocab.indicesOf(Array.from('abcd'.repeat(60)));

async function trainTiny(impl: 'scratch' | 'layers', kind: 'rnn' | 'gru' | 'lstm') {
  setSeed(1);
  const lm = new RNNLM({ vocabSize: vocab.size, kind, numHiddens: 16, impl });
  const r = await fit(lm, lmDataSource(corpus, { batchSize: 8, numSteps: 6 }), {
    epochs: 6,
    optimizer: { name: 'adam', lr: 0.05 },
    clipNorm: 1,
    metrics: [new TokenPerplexity()],
    seed: 2,
    progress: false,
  });
  return { lm, epochs: r.history.filter((h) => h.kind === 'epoch') };
}

describe('RNNLM', () => {
  for (const [impl, kind] of [
    ['scratch', 'gru'],
    ['layers', 'lstm'],
    ['layers', 'rnn'],
  ] as const) {
    it(`a tiny ${impl} ${kind} LM's loss and perplexity fall, and it continues the pattern`, async () => {
      const { lm, epochs } = await trainTiny(impl, kind);
      const first = Number(epochs[0]!.loss);
      const last = Number(epochs.at(-1)!.loss);
      assert.ok(last < first / 2, `loss ${first} → ${last}`);
      assert.ok(
        Math.abs(Number(epochs[0]!.perplexity) - Math.exp(first)) < 1e-3 * Math.exp(first),
        'perplexity = exp(loss)',
      );
      assert.ok(Number(epochs.at(-1)!.perplexity) < 1.5);
      const out = vocab.tokensOf(lm.predict(vocab.indicesOf(['b', 'c']), 6)).join('');
      assert.equal(out, 'bcdabcda');
      lm.dispose();
    });
  }

  it('a bidirectional LM trains but refuses to generate, with a ModelUseError saying why', () => {
    const lm = new RNNLM({ vocabSize: 5, kind: 'gru', numHiddens: 4, bidirectional: true });
    const batch = { X: tf.tensor2d([[1, 2]], [1, 2], 'int32'), Y: tf.tensor2d([[2, 3]], [1, 2], 'int32') };
    assert.ok(Number.isFinite(lm.loss(batch).loss.dataSync()[0]!));
    assert.throws(
      () => lm.predict([1, 2], 3),
      (e: unknown) =>
        e instanceof ModelUseError &&
        /bidirectional RNN cannot generate/.test(e.message) &&
        /without --bidirectional/.test(e.message),
    );
  });

  it('predict rejects an empty prefix and ids outside the vocabulary', () => {
    const lm = new RNNLM({ vocabSize: 5, kind: 'rnn', numHiddens: 4, impl: 'scratch' });
    assert.throws(() => lm.predict([], 3), /non-empty prefix/);
    assert.throws(() => lm.predict([7], 3), /id 7 is outside the vocabulary \[0, 5\)/);
    assert.throws(() => new RNNLM({ vocabSize: 5, kind: 'gru', numHiddens: 0 }), ModelUseError);
  });

  it('saves and loads (deep, scratch) with the same predictions; a vocab of another size is refused', async () => {
    setSeed(4);
    const lm = new RNNLM({ vocabSize: 5, kind: 'lstm', numHiddens: 8, numLayers: 2, impl: 'scratch' });
    const dir = join(tmp, 'lm');
    await saveRNNLM(lm, vocab, dir);
    const back = await loadRNNLM(dir);
    assert.deepEqual(back.vocab.tokens, vocab.tokens);
    assert.deepEqual(back.lm.options, lm.options);
    const logits = (m: RNNLM) =>
      Array.from(m.forward(tf.tensor2d([[1, 2, 3]], [1, 3], 'int32')).logits.dataSync());
    assert.deepEqual(logits(back.lm), logits(lm));
    await assert.rejects(saveRNNLM(lm, new Vocab(['<unk>', 'a']), dir), VocabError);
  });

  it('lmDataSource refuses a corpus too short for one batch', () => {
    assert.throws(() => lmDataSource([1, 2, 3], { batchSize: 2, numSteps: 5 }), /gives no batch of 2 × 5/);
  });
});

describe('TokenPerplexity', () => {
  it("equals the core's perplexityFromLogits on the cpu backend (uniform logits → vocab size)", async () => {
    const m = new TokenPerplexity();
    m.update(tf.tensor1d([0, 1, 3], 'int32'), tf.zeros([3, 4]));
    assert.ok(Math.abs(m.result() - 4) < 1e-5);
    const logits = tf.tensor2d([
      [1, 2, 0.5],
      [0, -1, 3],
    ]);
    const ids = tf.tensor1d([2, 0], 'int32');
    m.reset();
    m.update(ids, logits);
    const prev = tf.getBackend();
    await tf.setBackend('cpu');
    const want = perplexityFromLogits(
      tf.tensor2d([
        [1, 2, 0.5],
        [0, -1, 3],
      ]),
      tf.tensor1d([2, 0], 'int32'),
    );
    await tf.setBackend(prev);
    assert.ok(Math.abs(m.result() - want) < 1e-4, `${m.result()} vs ${want}`);
    assert.ok(new PerplexityMetric().name === m.name);
  });
});
