/**
 * Each RNN encoder–decoder learns 20 pairs of the synthetic reverse task by heart (teacher forcing,
 * d2l's masked cross-entropy, Adam, gradients clipped to norm 1, through `fit`), after which greedy
 * decoding and a 3-wide beam reproduce every target. A model that cannot do this has a bug.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setSeed } from '@dlpipe/core';
import { type DataSource, fit, initBackend, tf } from '@dlpipe/tensor';
import { syntheticPairs, syntheticVocab } from '../pairs/synthetic.js';
import { beamSearch } from './beam-search.js';
import type { Seq2SeqBatch } from './encoder-decoder.js';
import { greedyDecode } from './greedy-decode.js';
import { seq2seqTask, smallModel } from './seq2seq-fixture.js';

before(async () => {
  await initBackend();
});

const PAD = 0;
const BOS = 1;
const EOS = 2;
const MAX_LEN = 5;

/** The 20 pairs as id lists (tokens a… are ids 3…) and one teacher-forced batch of them. */
function reversePairs() {
  const vocab = syntheticVocab(6);
  const id = (s: string) => s.split(' ').map((t) => vocab.indexOf(t) + 3);
  const pairs = syntheticPairs({
    task: 'reverse',
    numPairs: 20,
    vocabSize: 6,
    minLen: 2,
    maxLen: MAX_LEN,
    seed: 3,
  }).map((p) => ({ src: id(p.src), tgt: id(p.tgt) }));
  const pad = (xs: number[], n: number) => [...xs, ...new Array(n - xs.length).fill(PAD)];
  const T = MAX_LEN + 1;
  const batch = (): Seq2SeqBatch => ({
    src: tf.tensor2d(
      pairs.map((p) => pad([...p.src, EOS], T)),
      undefined,
      'int32',
    ),
    srcValidLen: tf.tensor1d(pairs.map((p) => p.src.length + 1)),
    tgtIn: tf.tensor2d(
      pairs.map((p) => pad([BOS, ...p.tgt], T)),
      undefined,
      'int32',
    ),
    tgtOut: tf.tensor2d(
      pairs.map((p) => pad([...p.tgt, EOS], T)),
      undefined,
      'int32',
    ),
    tgtValidLen: tf.tensor1d(pairs.map((p) => p.tgt.length + 1)),
  });
  const source: DataSource<Seq2SeqBatch> = {
    length: 1,
    *batches() {
      yield batch();
    },
  };
  return { pairs, batch, source };
}

describe('seq2seq models overfit 20 reverse pairs', () => {
  for (const [arch, epochs] of [
    ['gru', 60],
    ['bahdanau', 50],
  ] as const) {
    it(`${arch}: loss falls below 0.05, greedy and beam decoding give every target`, async () => {
      setSeed(1);
      const { pairs, batch, source } = reversePairs();
      const model = smallModel(arch, 9, 32, 1);
      const result = await fit(seq2seqTask(model), source, {
        epochs,
        optimizer: { name: 'adam', lr: 0.02 },
        clipNorm: 1,
        progress: false,
        seed: 1,
      });
      const losses = result.history.filter((r) => r.kind === 'epoch').map((r) => Number(r.loss));
      assert.ok(losses.at(-1)! < 0.05, `final loss ${losses.at(-1)} (first ${losses[0]})`);
      const b = batch();
      const o = { bos: BOS, eos: EOS, maxLen: MAX_LEN + 2 };
      const greedy = greedyDecode(model, b.src, b.srcValidLen, o);
      const beam = beamSearch(model, b.src, b.srcValidLen, { ...o, beamSize: 3, alpha: 0.75 });
      assert.deepEqual(
        greedy.tokens,
        pairs.map((p) => p.tgt),
      );
      assert.deepEqual(
        beam.tokens,
        pairs.map((p) => p.tgt),
      );
      tf.dispose(Object.values(b));
      model.dispose();
    });
  }
});
