/**
 * Beam search and greedy decoding. With a beam as wide as the number of hypotheses (V = 4,
 * maxLen 4: 121 sequences) beam search finds what exhaustive search finds, each sequence scored
 * by its teacher-forced log-probability over GNMT's length penalty (α = 0, 0.75, 2): on GRU and
 * Bahdanau models of fixed random weights, and on table models whose optima vary in length (where
 * a 2-wide beam misses some); a narrow beam's hypotheses carry their teacher-forced scores; beam 1
 * equals greedy; batched sources equal one at a time; `<eos>` ends a hypothesis with its score
 * and a model that always says `<eos>` stops after one step; the tensor count is flat over the
 * steps and calls.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OptionsError, Rng, setSeed } from '@dlpipe/core';
import { initBackend, tf } from '@dlpipe/tensor';
import { beamSearch } from './beam-search.js';
import type { EncoderResult, Seq2SeqModel } from './encoder-decoder.js';
import { greedyDecode } from './greedy-decode.js';
import { gnmtLengthPenalty } from './length-penalty.js';
import { RowState } from './row-state.js';
import { smallModel } from './seq2seq-fixture.js';

before(async () => {
  await initBackend();
});

const BOS = 1;
const EOS = 2;
const ids = (x: number[][]) => tf.tensor2d(x, undefined, 'int32');

/** Every output of at most `maxLen` tokens: ended by <eos>, or maxLen tokens without it. */
function allSequences(V: number, maxLen: number): number[][] {
  const out: number[][] = [];
  const grow = (prefix: number[]) => {
    out.push([...prefix, EOS]);
    if (prefix.length + 1 === maxLen) {
      for (let v = 0; v < V; v++) if (v !== EOS) out.push([...prefix, v]);
      return;
    }
    for (let v = 0; v < V; v++) if (v !== EOS) grow([...prefix, v]);
  };
  grow([]);
  return out;
}

/** log P(y | source) of each sequence by teacher forcing, one decode over all of them. */
function teacherForcedLogProbs(
  model: Seq2SeqModel,
  src: number[],
  srcLen: number,
  seqs: number[][],
): number[] {
  return tf.tidy(() => {
    const T = Math.max(...seqs.map((s) => s.length));
    const len = tf.tensor1d([srcLen]);
    const state = model.initState(model.encode(ids([src]), len, false), len);
    const many = state.gather(tf.zeros([seqs.length], 'int32'));
    const tgtIn = seqs.map((s) => [BOS, ...s.slice(0, -1), ...new Array(T - s.length).fill(0)]);
    const logp = tf.logSoftmax(model.decode(ids(tgtIn), many, false).logits).arraySync() as number[][][];
    return seqs.map((s, i) => s.reduce((acc, tok, t) => acc + logp[i]![t]![tok]!, 0));
  });
}

/** The exhaustive search's best: tokens (without <eos>) and score log P / lp(|y|). */
function exhaustive(model: Seq2SeqModel, b: number, V: number, maxLen: number, alpha: number) {
  const seqs = allSequences(V, maxLen);
  const logp = teacherForcedLogProbs(model, sources[b]!, lengths[b]!, seqs);
  const scores = seqs.map((s, i) => logp[i]! / gnmtLengthPenalty(s.length, alpha));
  const best = scores.indexOf(Math.max(...scores));
  const y = seqs[best]!;
  return { tokens: y[y.length - 1] === EOS ? y.slice(0, -1) : y, score: scores[best]! };
}

/** The model, recording the tensor count at each decode call. */
function counting(model: Seq2SeqModel): { model: Seq2SeqModel; counts: number[] } {
  const counts: number[] = [];
  const wrapped: Seq2SeqModel = {
    config: model.config,
    encode: (src, len, training) => model.encode(src, len, training),
    initState: (enc, len) => model.initState(enc, len),
    decode: (tgtIn, state, training) => {
      counts.push(tf.memory().numTensors);
      return model.decode(tgtIn, state, training);
    },
    attentionWeights: () => model.attentionWeights?.() ?? [],
    trainableVariables: () => model.trainableVariables(),
    namedWeights: () => model.namedWeights(),
    dispose: () => model.dispose(),
  };
  return { model: wrapped, counts };
}

/**
 * A model whose next-token logits are a fixed random function of (source, prefix): a table row
 * picked by a hash of them. Random networks this small tend to one answer (often `<eos>` at
 * once); this one gives each source and α a different optimum, some ending in `<eos>`.
 */
function tableModel(V: number, seed: number): Seq2SeqModel {
  const P = 997;
  const rng = new Rng(seed);
  const table = Array.from({ length: P }, () => Array.from({ length: V }, () => 2 * rng.normal()));
  const rows = (state: RowState<'h'>) => Array.from(state.part('h')[0]!.dataSync());
  return {
    config: {
      arch: 'gru',
      srcVocabSize: V,
      tgtVocabSize: V,
      embedSize: 1,
      numHiddens: 1,
      numLayers: 1,
      dropout: 0,
    },
    encode(src, len): EncoderResult {
      const lens = len.dataSync();
      const h = (src.arraySync() as number[][]).map((row, b) =>
        row.slice(0, lens[b]).reduce((acc, tok, t) => (acc * 7 + tok * (t + 3)) % P, lens[b]!),
      );
      return { outputs: tf.zeros([src.shape[0], 1, 1]), extra: [tf.tensor1d(h)] };
    },
    initState: (enc) => new RowState({ h: [enc.extra[0]!.clone()] }),
    decode(tgtIn, state) {
      const h = rows(state as RowState<'h'>);
      const logits = (tgtIn.arraySync() as number[][]).map((toks, n) =>
        toks.map((tok) => {
          h[n] = (h[n]! * 31 + tok + 7) % P;
          return table[h[n]!]!;
        }),
      );
      return { logits: tf.tensor3d(logits), state: new RowState({ h: [tf.tensor1d(h)] }) };
    },
    trainableVariables: () => [],
    namedWeights: () => ({}),
    dispose: () => {},
  };
}

const sources = [
  [3, 0, 3, 2],
  [0, 3, 2, 0],
];
const lengths = [4, 3];
const srcLen = () => tf.tensor1d(lengths);

describe('beamSearch', () => {
  for (const arch of ['gru', 'bahdanau'] as const) {
    it(`${arch}: a 128-wide beam equals exhaustive search over V = 4, maxLen 4 (α = 0 and 0.75), batched`, () => {
      setSeed(7);
      const model = smallModel(arch, 4, 8, 2);
      for (const alpha of [0, 0.75]) {
        const r = beamSearch(model, ids(sources), srcLen(), {
          beamSize: 128,
          alpha,
          maxLen: 4,
          bos: BOS,
          eos: EOS,
        });
        sources.forEach((_, b) => {
          const want = exhaustive(model, b, 4, 4, alpha);
          assert.deepEqual(r.tokens[b], want.tokens, `source ${b}, α ${alpha}`);
          assert.ok(Math.abs(r.scores[b]! - want.score) < 1e-4, `${r.scores[b]} vs ${want.score}`);
        });
      }
      model.dispose();
    });
  }

  it('a 128-wide beam equals exhaustive search on table models (α = 0, 0.75, 2); a 2-wide beam misses some', () => {
    const answers = new Set<string>();
    let narrowMissed = 0;
    for (const seed of [2, 5, 6]) {
      const model = tableModel(4, seed);
      for (const alpha of [0, 0.75, 2]) {
        const o = { alpha, maxLen: 4, bos: BOS, eos: EOS };
        const r = beamSearch(model, ids(sources), srcLen(), { ...o, beamSize: 128 });
        const narrow = beamSearch(model, ids(sources), srcLen(), { ...o, beamSize: 2 });
        sources.forEach((_, b) => {
          const want = exhaustive(model, b, 4, 4, alpha);
          assert.deepEqual(r.tokens[b], want.tokens, `seed ${seed}, source ${b}, α ${alpha}`);
          assert.ok(Math.abs(r.scores[b]! - want.score) < 1e-4, `${r.scores[b]} vs ${want.score}`);
          assert.ok(narrow.scores[b]! <= want.score + 1e-6);
          if (narrow.scores[b]! < want.score - 1e-6) narrowMissed++;
          answers.add(JSON.stringify(want.tokens));
        });
      }
    }
    // Optima of every length 0–4 (seed 2 α 0.75: [1, 1, 1, 3]; seed 5: [0, 1, 0]; seed 6 α 0: []).
    assert.ok(answers.size >= 5, `optima ${[...answers].join(' ')}`);
    assert.ok(narrowMissed >= 4, `the 2-wide beam missed ${narrowMissed} optima`);
  });

  it("a narrow beam's hypotheses keep their teacher-forced scores and never beat exhaustive search", () => {
    setSeed(3);
    const model = smallModel('bahdanau', 4, 8, 1);
    const r = beamSearch(model, ids(sources), srcLen(), {
      beamSize: 2,
      alpha: 0.75,
      maxLen: 4,
      bos: BOS,
      eos: EOS,
    });
    sources.forEach((src, b) => {
      for (const h of r.nBest[b]!) {
        const y = h.finished ? [...h.tokens, EOS] : h.tokens;
        const [logp] = teacherForcedLogProbs(model, src, lengths[b]!, [y]);
        assert.ok(Math.abs(h.logProb - logp!) < 1e-4);
        assert.ok(Math.abs(h.score - logp! / gnmtLengthPenalty(y.length, 0.75)) < 1e-4);
      }
      assert.ok(r.scores[b]! <= exhaustive(model, b, 4, 4, 0.75).score + 1e-6);
    });
    model.dispose();
  });

  it('beam 1 equals greedy decoding; batched sources equal one at a time', () => {
    setSeed(11);
    const model = smallModel('gru', 12, 16, 2);
    const src = ids([
      [3, 4, 5, 6, 7, 2],
      [8, 9, 2, 0, 0, 0],
      [10, 11, 3, 4, 2, 0],
    ]);
    const len = tf.tensor1d([6, 3, 5]);
    const o = { bos: BOS, eos: EOS, maxLen: 8 };
    const greedy = greedyDecode(model, src, len, o);
    assert.deepEqual(beamSearch(model, src, len, { ...o, beamSize: 1 }).tokens, greedy.tokens);
    const batched = beamSearch(model, src, len, { ...o, beamSize: 3, alpha: 0.6 });
    for (let b = 0; b < 3; b++) {
      const one = beamSearch(model, tf.slice(src, [b, 0], [1, 6]), tf.slice(len, [b], [1]), {
        ...o,
        beamSize: 3,
        alpha: 0.6,
      });
      assert.deepEqual(one.tokens[0], batched.tokens[b]);
      assert.ok(Math.abs(one.scores[0]! - batched.scores[b]!) < 1e-4);
      assert.deepEqual(
        greedyDecode(model, tf.slice(src, [b, 0], [1, 6]), tf.slice(len, [b], [1]), o).tokens[0],
        greedy.tokens[b],
      );
    }
    model.dispose();
  });

  it('a model that always says <eos> stops after one step with score log p(<eos>) / lp(1)', () => {
    setSeed(5);
    const model = smallModel('gru', 6, 8, 1);
    const bias = model.namedWeights()['decoder.dense.bias']!;
    bias.assign(tf.tensor1d([0, 0, 20, 0, 0, 0]));
    const { model: m, counts } = counting(model);
    const r = beamSearch(m, ids(sources), srcLen(), { beamSize: 3, alpha: 1, maxLen: 5, bos: BOS, eos: EOS });
    assert.equal(counts.length, 1);
    assert.deepEqual(r.tokens, [[], []]);
    const [logp] = teacherForcedLogProbs(model, sources[0]!, 4, [[EOS]]);
    assert.ok(Math.abs(r.scores[0]! - logp! / gnmtLengthPenalty(1, 1)) < 1e-5);
    assert.ok(r.nBest[0]![0]!.finished);
    assert.deepEqual(greedyDecode(m, ids(sources), srcLen(), { bos: BOS, eos: EOS, maxLen: 5 }).tokens, [
      [],
      [],
    ]);
    model.dispose();
  });

  it('the tensor count is flat across decoding steps and after each call', () => {
    setSeed(9);
    for (const arch of ['gru', 'bahdanau'] as const) {
      const start = tf.memory().numTensors;
      const base = smallModel(arch, 9, 8, 2);
      // <eos> (8) made unlikely, so every call runs all 7 steps.
      const bias = base.namedWeights()['decoder.dense.bias']!;
      tf.tidy(() => bias.assign(tf.sub(bias, tf.mul(tf.oneHot(8, 9), 20))));
      const src = ids(sources);
      const len = srcLen();
      for (const run of [
        (m: Seq2SeqModel) =>
          beamSearch(m, src, len, { beamSize: 3, alpha: 0.7, maxLen: 7, bos: BOS, eos: 8 }),
        (m: Seq2SeqModel) => greedyDecode(m, src, len, { bos: BOS, eos: 8, maxLen: 7, attention: true }),
      ]) {
        run(base); // the Bahdanau model keeps its last attention weights from its first call on
        const before = tf.memory().numTensors;
        const { model, counts } = counting(base);
        run(model);
        assert.equal(counts.length, 7);
        assert.ok(
          counts.every((c) => c === counts[0]),
          `${arch}: ${counts.join(', ')}`,
        );
        assert.equal(tf.memory().numTensors, before);
      }
      base.dispose();
      tf.dispose([src, len]);
      assert.equal(tf.memory().numTensors, start);
    }
  });

  it('refuses bad options with OptionsError naming the field', () => {
    setSeed(1);
    const model = smallModel('gru', 5, 4, 1);
    const go = (o: Record<string, number>) => () =>
      beamSearch(model, ids(sources), srcLen(), { beamSize: 2, maxLen: 3, bos: 1, eos: 2, ...o });
    assert.throws(go({ beamSize: 0 }), (e) => e instanceof OptionsError && /beamSize/.test(e.message));
    assert.throws(go({ alpha: -1 }), /alpha/);
    assert.throws(go({ eos: 5 }), /eos = 5 is not an id of the target vocabulary \(size 5\)/);
    assert.throws(() => greedyDecode(model, ids(sources), srcLen(), { bos: 1, eos: 2, maxLen: 0 }), /maxLen/);
    model.dispose();
  });
});
