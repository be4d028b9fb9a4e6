import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '@dlpipe/core';
import { EOS, NgramLM } from './ngram-lm.js';

// Toy corpus: "a b" and "a a". Predictable vocab V = {a, b, </s>, <unk>}, |V| = 4.
// Bigram counts with <s>: (<s> a)=2, (a b)=1, (a a)=1, (a </s>)=1, (b </s>)=1; c(<s>)=2, c(a)=3, c(b)=1.
const corpus = [
  ['a', 'b'],
  ['a', 'a'],
];
const close = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-12, `${x} vs ${y}`);

describe('NgramLM', () => {
  it('add-1 bigram probabilities and perplexity by hand', () => {
    const lm = NgramLM.train(corpus, { n: 2, smoothing: 'add-k', k: 1 });
    close(lm.prob('a'), (2 + 1) / (2 + 4)); // P(a|<s>)
    close(lm.prob('b', ['a']), (1 + 1) / (3 + 4));
    close(lm.prob(EOS, ['b']), (1 + 1) / (1 + 4));
    close(lm.prob('zzz', ['a']), (0 + 1) / (3 + 4)); // unknown word → <unk>, count 0
    // PP("a b") = (P(a|<s>) P(b|a) P(</s>|b))^(-1/3) = (0.5 · 2/7 · 0.4)^(-1/3)
    close(lm.perplexity([['a', 'b']]), (0.5 * (2 / 7) * 0.4) ** (-1 / 3));
  });

  it('add-k unigram: (c + k) / (N + k|V|)', () => {
    const lm = NgramLM.train(corpus, { n: 1, smoothing: 'add-k', k: 0.5 });
    // unigram counts: a=3, b=1, </s>=2, N=6
    close(lm.prob('a'), 3.5 / 8);
  });

  it('interpolated Kneser–Ney bigram by hand (d = 0.75)', () => {
    const lm = NgramLM.train(corpus, { n: 2, smoothing: 'kneser-ney' });
    // continuation: N1+(• a)=2, N1+(• b)=1, N1+(• </s>)=2; bigram types 5; 3 word types continue.
    const p1b = (1 - 0.75) / 5 + ((0.75 * 3) / 5) * (1 / 4);
    // P(b|a) = max(1 − d, 0)/c(a) + d·N1+(a •)/c(a) · P1(b), N1+(a •) = 3
    close(lm.prob('b', ['a']), (1 - 0.75) / 3 + ((0.75 * 3) / 3) * p1b);
  });

  for (const n of [1, 2, 3]) {
    for (const smoothing of ['add-k', 'kneser-ney'] as const) {
      it(`n=${n} ${smoothing}: P(· | context) sums to 1`, () => {
        const lm = NgramLM.train(
          [
            ['the', 'cat', 'sat'],
            ['the', 'dog', 'sat', 'down'],
            ['a', 'cat'],
          ],
          { n, smoothing },
        );
        for (const ctx of [[], ['the'], ['the', 'cat'], ['never', 'seen']]) {
          close(
            lm.vocab.reduce((s, w) => s + lm.prob(w, ctx), 0),
            1,
          );
        }
      });
    }
  }

  it('trigram KN beats add-1 on held-out text from the same pattern, and samples training-like text', () => {
    const train = Array.from({ length: 30 }, (_, i) => [
      'the',
      i % 2 ? 'cat' : 'dog',
      'sat',
      'on',
      'the',
      'mat',
    ]);
    const kn = NgramLM.train(train, { n: 3 });
    const add1 = NgramLM.train(train, { n: 3, smoothing: 'add-k' });
    const test = [['the', 'dog', 'sat', 'on', 'the', 'mat']];
    assert.ok(kn.perplexity(test) < add1.perplexity(test));
    assert.ok(kn.perplexity(test) < 1.5, String(kn.perplexity(test)));
    const s = kn.sample(new Rng(1), { prefix: ['the'] });
    assert.equal(s[0], 'the');
    assert.ok(s.length >= 1 && s.length <= 50);
  });
});
