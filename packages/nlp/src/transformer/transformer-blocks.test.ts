/**
 * The Transformer's parts against d2l §11.7 in PyTorch 1.13 (transformer.reference.py, the model
 * of bench/nlp_seq2seq_torch_transformer.py): d2l's shape checks (PositionWiseFFN [2, 3, 4] →
 * [2, 3, 8], AddNorm [2, 3, 4], TransformerEncoderBlock(24, 48, 8) on [2, 100, 24] with valid
 * lengths [3, 2]); the encoder block's output and attention weights with fixed weights (numHiddens
 * 8, ffn 12, 2 heads, every weight det(shape, 200 + k) by sorted name, X = det([2, 5, 8], 21) · 2,
 * valid lengths [3, 2], eval mode); layer norm by hand; config round trips; typed errors.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { AttentionError } from '../attention/attention-error.js';
import { assertClose, det } from '../attention/reference-fixture.js';
import { AddNorm } from './add-norm.js';
import { LayerNorm } from './layer-norm.js';
import { PositionWiseFFN } from './position-wise-ffn.js';
import { TransformerDecoderBlock } from './transformer-decoder-block.js';
import { TransformerEncoder } from './transformer-encoder.js';
import { TransformerEncoderBlock } from './transformer-encoder-block.js';
import { referenceWeights, transformerReference } from './transformer-fixture.js';

before(async () => {
  await initBackend();
});

const ref = transformerReference();

describe('PositionWiseFFN, AddNorm, LayerNorm (d2l §11.7.2–3)', () => {
  it("d2l's shapes: FFN(4, 8) on ones [2, 3, 4] → [2, 3, 8]; AddNorm(4) keeps [2, 3, 4]", () => {
    const ffn = new PositionWiseFFN({ ffnNumHiddens: 4, ffnNumOutputs: 8 });
    assert.deepEqual(ffn.forward(tf.ones([2, 3, 4])).shape, [2, 3, 8]);
    assert.deepEqual(Object.keys(ffn.namedWeights()).sort(), [
      'dense1.bias',
      'dense1.kernel',
      'dense2.bias',
      'dense2.kernel',
    ]);
    const addNorm = new AddNorm({ normShape: 4, dropout: 0.5 });
    assert.deepEqual(addNorm.forward(tf.ones([2, 3, 4]), tf.ones([2, 3, 4])).shape, [2, 3, 4]);
    ffn.dispose();
    addNorm.dispose();
  });

  it('layer norm standardizes each position: [1, 2, 3, 4] → (x − 2.5) / √(1.25 + 1e-5), then γ, β', () => {
    const ln = new LayerNorm({ normShape: 4 });
    const s = Math.sqrt(1.25 + 1e-5);
    assertClose(ln.forward(tf.tensor2d([[1, 2, 3, 4]])), [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s]);
    ln.setWeights({ weight: tf.tensor1d([2, 2, 2, 2]), bias: tf.tensor1d([1, 0, 0, 0]) });
    assertClose(ln.forward(tf.tensor2d([[1, 2, 3, 4]])), [1 - 3 / s, -1 / s, 1 / s, 3 / s]);
    assert.throws(() => ln.forward(tf.ones([2, 5])), AttentionError);
    ln.dispose();
  });

  it('AddNorm is ln(Y + X) in eval mode and rejects X and Y of different shapes', () => {
    const addNorm = new AddNorm({ normShape: 4, dropout: 0.5 });
    const X = det([2, 3, 4], 1) as tf.Tensor3D;
    const Y = det([2, 3, 4], 2) as tf.Tensor3D;
    assertClose(addNorm.forward(X, Y), Array.from(addNorm.ln.forward(tf.add(X, Y)).dataSync()));
    assert.throws(() => addNorm.forward(X, tf.ones([2, 3, 5])), /must have one shape/);
    addNorm.dispose();
  });
});

describe('TransformerEncoderBlock (d2l §11.7.4)', () => {
  it(`d2l's check: (24, 48, 8 heads) on ones [2, 100, 24], valid lengths [3, 2] → ${ref.encoderBlockShape}`, () => {
    const blk = new TransformerEncoderBlock({ numHiddens: 24, ffnNumHiddens: 48, numHeads: 8, dropout: 0.5 });
    assert.deepEqual(blk.forward(tf.ones([2, 100, 24]), [3, 2]).shape, ref.encoderBlockShape);
    assert.deepEqual(blk.attentionWeights!.shape, [16, 100, 100]);
    blk.dispose();
  });

  it('output and attention weights equal PyTorch with fixed weights (eval mode)', () => {
    const blk = new TransformerEncoderBlock({ numHiddens: 8, ffnNumHiddens: 12, numHeads: 2, dropout: 0.5 });
    assert.deepEqual(Object.keys(blk.namedWeights()).sort(), ref.encoderBlock.names);
    blk.setWeights(referenceWeights(blk.namedWeights()));
    const Y = blk.forward(det([2, 5, 8], 21, 2) as tf.Tensor3D, [3, 2]);
    assertClose(Y, ref.encoderBlock.output);
    assertClose(blk.attentionWeights!, ref.encoderBlock.attentionWeights);
    blk.dispose();
  });

  it('dropout acts only while training', () => {
    const blk = new TransformerEncoderBlock({ numHiddens: 8, ffnNumHiddens: 12, numHeads: 2, dropout: 0.5 });
    const X = det([2, 5, 8], 21) as tf.Tensor3D;
    const a = blk.forward(X, [3, 2]).arraySync();
    assert.deepEqual(blk.forward(X, [3, 2]).arraySync(), a);
    assert.notDeepEqual(blk.forward(X, [3, 2], { training: true }).arraySync(), a);
    blk.dispose();
  });

  it('config round trip: fromConfig(getConfig()) builds the same weights, so setWeights takes them', () => {
    const blk = new TransformerEncoderBlock({ numHiddens: 8, ffnNumHiddens: 12, numHeads: 2, useBias: true });
    const copy = TransformerEncoderBlock.fromConfig(blk.getConfig());
    copy.setWeights(blk.namedWeights());
    const X = det([1, 3, 8], 4) as tf.Tensor3D;
    assertClose(copy.forward(X), Array.from(blk.forward(X).dataSync()));
    assert.ok('attention.W_q.bias' in copy.namedWeights());
    blk.dispose();
    copy.dispose();
  });
});

describe('bad options are AttentionErrors that say what to change', () => {
  it('numHeads that does not divide numHiddens', () => {
    for (const make of [
      () => new TransformerEncoderBlock({ numHiddens: 10, ffnNumHiddens: 12, numHeads: 4 }),
      () => new TransformerDecoderBlock({ numHiddens: 10, ffnNumHiddens: 12, numHeads: 4 }),
      () =>
        new TransformerEncoder({ vocabSize: 5, numBlks: 1, numHiddens: 10, ffnNumHiddens: 12, numHeads: 4 }),
    ]) {
      assert.throws(
        make,
        (e: unknown) => e instanceof AttentionError && /numHeads must divide numHiddens/.test(e.message),
      );
    }
  });

  it('a negative dropout or zero blocks', () => {
    assert.throws(
      () => new AddNorm({ normShape: 4, dropout: -0.1 }),
      (e: unknown) => e instanceof AttentionError && /dropout/.test(e.message),
    );
    assert.throws(
      () =>
        new TransformerEncoder({ vocabSize: 5, numBlks: 0, numHiddens: 8, ffnNumHiddens: 12, numHeads: 2 }),
      (e: unknown) => e instanceof AttentionError && /numBlks/.test(e.message),
    );
  });
});
