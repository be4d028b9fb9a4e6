import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Rng, setSeed } from '@dlpipe/core';
import { fit, initBackend, layersTask, tensorDataSource } from '@dlpipe/tensor';
import type { LabelledSentence } from '../corpus/corpora.js';
import { truncatePad } from '../text/truncate-pad.js';
import { createClassifier } from './classifiers.js';
import { NaiveBayesBaseline } from './naive-bayes.js';
import { PAD, sentimentData } from './sentiment-data.js';
import { predictClasses, sentimentScores } from './sentiment-eval.js';

before(async () => {
  await initBackend();
});

/** A separable toy set: positive sentences hold a positive word somewhere, negative ones a negative word. */
function toySentences(n: number, seed: number): LabelledSentence[] {
  const rng = new Rng(seed);
  const filler = ['the', 'food', 'was', 'and', 'service', 'it', 'is', 'a', 'place', 'very'];
  const pos = ['good', 'great', 'lovely'];
  const neg = ['bad', 'awful', 'rude'];
  return Array.from({ length: n }, (_, i) => {
    const label = (i % 2) as 0 | 1;
    const words = Array.from({ length: 3 + rng.int(6) }, () => filler[rng.int(filler.length)]!);
    const key = (label ? pos : neg)[rng.int(3)]!;
    words.splice(rng.int(words.length + 1), 0, key);
    return { text: words.join(' '), label, source: 'yelp' as const };
  });
}

describe('sentiment data', () => {
  it('truncatePad as d2l: cut to numSteps or right-pad', () => {
    assert.deepEqual(truncatePad([5, 6, 7], 2, 0), [5, 6]);
    assert.deepEqual(truncatePad([5], 3, 1), [5, 1, 1]);
  });

  it('the UCI split is fixed by its seed, disjoint, 80/20, with a train-only vocab', () => {
    const a = sentimentData({ seed: 3, numSteps: 12 });
    const b = sentimentData({ seed: 3, numSteps: 12 });
    assert.equal(a.train.sentences.length, 2400);
    assert.equal(a.test.sentences.length, 600);
    assert.deepEqual(a.test.sentences, b.test.sentences);
    assert.notDeepEqual(
      sentimentData({ seed: 4, numSteps: 12 }).test.sentences.slice(0, 5),
      a.test.sentences.slice(0, 5),
    );
    const train = new Set(a.train.sentences);
    assert.ok(a.test.sentences.every((s) => !train.has(s)));
    assert.deepEqual(a.train.x.shape, [2400, 12]);
    assert.equal(a.vocab.tokens[1], PAD);
  });
});

describe('sentiment classifiers', () => {
  it('sentimentScores: accuracy and positive-class F1 by hand', () => {
    // TP 2, FP 0, FN 1: precision 1, recall 2/3, F1 = 2·1·(2/3)/(1 + 2/3) = 0.8.
    const s = sentimentScores([1, 0, 1, 1], [1, 0, 0, 1]);
    assert.equal(s.accuracy, 0.75);
    assert.ok(Math.abs(s.f1 - 0.8) < 1e-12);
  });

  for (const name of ['textcnn', 'birnn'] as const) {
    it(`a tiny ${name} learns the toy sentiment set`, async () => {
      const ds = sentimentData({ sentences: toySentences(240, 1), numSteps: 10, testFraction: 0.25 });
      setSeed(5);
      const net = createClassifier(name, {
        vocabSize: ds.vocab.size,
        numSteps: 10,
        embedSize: 8,
        numHiddens: 8,
        numLayers: 1,
        numChannels: [4, 4, 4],
        dropout: 0.2,
      });
      await fit(
        layersTask(net),
        tensorDataSource({ x: ds.train.x, y: ds.train.y }, { batchSize: 16, shuffle: true }),
        {
          epochs: name === 'birnn' ? 12 : 8,
          optimizer: { name: 'adam', lr: 0.02 },
          seed: 6,
          progress: false,
        },
      );
      const s = sentimentScores(Array.from(ds.test.y.dataSync()), predictClasses(net, ds.test.x));
      assert.ok(s.accuracy > 0.9, `accuracy ${s.accuracy}`);
      assert.ok(s.f1 > 0.9, `f1 ${s.f1}`);
    });
  }

  it('the textcnn refuses sentences shorter than its widest kernel', () => {
    assert.throws(
      () => createClassifier('textcnn', { vocabSize: 10, numSteps: 4 }),
      /shorter than the widest kernel 5/,
    );
  });

  it('natural naive Bayes: perfect on the toy set, > 75% on the UCI test split', () => {
    const toy = sentimentData({ sentences: toySentences(200, 2), numSteps: 10 });
    const nb = NaiveBayesBaseline.train(
      toy.train.tokens,
      toy.train.sentences.map((s) => s.label),
    );
    assert.deepEqual(
      nb.predict(toy.test.tokens),
      toy.test.sentences.map((s) => s.label),
    );
    const uci = sentimentData({ seed: 0, numSteps: 5 });
    const nbUci = NaiveBayesBaseline.train(
      uci.train.tokens,
      uci.train.sentences.map((s) => s.label),
    );
    const acc = sentimentScores(
      uci.test.sentences.map((s) => s.label),
      nbUci.predict(uci.test.tokens),
    ).accuracy;
    assert.ok(acc > 0.75, `naive Bayes UCI accuracy ${acc}`);
    assert.throws(() => NaiveBayesBaseline.train([['a']], []), /one label per sentence/);
  });
});
