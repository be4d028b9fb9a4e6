/**
 * Greedy decoding's attention output (for heatmaps): per source, one row of weights over the
 * source per step run, its `<eos>` step included; each row sums to 1 and is zero past the source
 * length; the rows equal the model's own weights under teacher forcing of the decoded tokens. A
 * model without attention returns none.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setSeed } from '@dlpipe/core';
import { initBackend, tf } from '@dlpipe/tensor';
import { assertClose } from '../attention/reference-fixture.js';
import { greedyDecode } from './greedy-decode.js';
import { smallModel } from './seq2seq-fixture.js';

before(async () => {
  await initBackend();
});

const src = () =>
  tf.tensor2d(
    [
      [3, 4, 5, 2, 0],
      [6, 7, 8, 9, 2],
    ],
    undefined,
    'int32',
  );
const lens = [4, 5];

describe('greedyDecode', () => {
  it('Bahdanau: per-step attention rows over the source, as under teacher forcing', () => {
    setSeed(4);
    const model = smallModel('bahdanau', 10, 8, 1);
    const len = tf.tensor1d(lens);
    const { tokens, attention } = greedyDecode(model, src(), len, {
      bos: 1,
      eos: 2,
      maxLen: 6,
      attention: true,
    });
    assert.ok(attention);
    tokens.forEach((toks, b) => {
      const rows = attention[b]!;
      assert.ok(rows.length === toks.length || rows.length === toks.length + 1); // + its <eos> step
      for (const row of rows) {
        assert.equal(row.length, 5);
        assert.ok(Math.abs(row.reduce((a, x) => a + x, 0) - 1) < 1e-5);
        assert.ok(row.slice(lens[b]).every((x) => x < 1e-6));
      }
      // Teacher forcing the decoded tokens gives the same weights.
      const one = tf.slice(src(), [b, 0], [1, 5]) as tf.Tensor2D;
      const l = tf.tensor1d([lens[b]!]);
      const state = model.initState(model.encode(one, l, false), l);
      const tgtIn = tf.tensor2d([[1, ...toks].slice(0, rows.length)], undefined, 'int32');
      model.decode(tgtIn, state, false);
      assertClose(model.attentionWeights!()[0]!, rows.flat());
    });
    model.dispose();
  });

  it('a model without attention returns tokens only', () => {
    setSeed(4);
    const model = smallModel('gru', 10, 8, 1);
    const r = greedyDecode(model, src(), tf.tensor1d(lens), { bos: 1, eos: 2, maxLen: 4, attention: true });
    assert.equal(r.attention, undefined);
    assert.equal(r.tokens.length, 2);
    assert.ok(r.tokens.every((t) => t.length <= 4));
    model.dispose();
  });
});
