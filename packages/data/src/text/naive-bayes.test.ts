import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { InvalidArgumentError, OptionsError } from '@dlpipe/core';
import { NaiveBayesText } from './naive-bayes.js';

/** natural's own BayesClassifier, the reference (loaded by path: its index pulls in dotenv). */
const NaturalBayes = createRequire(import.meta.url)(
  'natural/lib/natural/classifiers/bayes_classifier',
) as new (
  stemmer?: unknown,
  smoothing?: number,
) => {
  addDocument(doc: string | string[], label: string): void;
  train(): void;
  getClassifications(doc: string | string[]): Array<{ label: string; value: number }>;
};

const DOCS = [
  'a great movie, loved it',
  'wonderful acting and great plot',
  'awful plot, boring',
  'terrible and boring acting',
  'a fun plot, great fun',
  'dull, dull and boring',
];
const Y = [1, 1, 0, 0, 2, 0];

/** natural's probabilities normalized to sum 1, in the order of `classes`. */
function naturalProba(docs: string[], y: number[], query: string, smoothing?: number): number[] {
  const nb = new NaturalBayes(undefined, smoothing);
  docs.forEach((d, i) => {
    nb.addDocument(d, String(y[i]));
  });
  nb.train();
  const byLabel = new Map(nb.getClassifications(query).map((c) => [Number(c.label), c.value]));
  const classes = [...new Set(y)].sort((a, b) => a - b);
  const z = classes.reduce((a, c) => a + byLabel.get(c)!, 0);
  return classes.map((c) => byLabel.get(c)! / z);
}

describe('NaiveBayesText', () => {
  it("gives natural's normalized probabilities (three classes, smoothing 1 and 0.5)", () => {
    for (const smoothing of [1, 0.5]) {
      const nb = new NaiveBayesText({ smoothing }).fit(DOCS, Y);
      assert.deepEqual(nb.classes, [0, 1, 2]);
      for (const q of ['great acting', 'boring movie', 'fun fun plot', 'unknown words only']) {
        const P = Array.from(nb.predictProba([q]).data);
        const want = naturalProba(DOCS, Y, q, smoothing);
        P.forEach((p, j) => {
          assert.ok(Math.abs(p - want[j]!) < 1e-12, `${q} (smoothing ${smoothing}): ${P} vs ${want}`);
        });
      }
    }
  });

  it('matches a hand count: P(1 | great acting) = 0.75 on the two-class toy set', () => {
    // classes hold 2 docs + 1; 'great' in 2 of class 1 → 3/3, 'act' in 1 → 2/3; class 0: 'act' → 2/3, 'great' → 1/3
    const nb = new NaiveBayesText().fit(DOCS.slice(0, 4), Y.slice(0, 4));
    assert.ok(Math.abs(nb.predictProba(['great acting']).data[1]! - 0.75) < 1e-12);
    assert.deepEqual(nb.predict(['great acting', 'boring movie']), [1, 0]);
  });

  it('takes token lists as they are, skips empty documents and does not underflow on long ones', () => {
    const words = Array.from({ length: 2000 }, (_, i) => `w${i}`);
    const X = [
      [...words, 'great'],
      [...words, 'boring'],
      ['great', 'fun'],
      ['boring', 'dull'],
    ];
    const nb = new NaiveBayesText<string[]>().fit(X, [1, 0, 1, 0]);
    const P = nb.predictProba([[...words, 'great']]).data;
    assert.ok(P[1]! > 0.5 && Math.abs(P[0]! + P[1]! - 1) < 1e-12, `${P}`);
    assert.deepEqual(nb.predict([['boring'], ['fun', 'great']]), [0, 1]);
    const withEmpty = new NaiveBayesText<string[]>().fit([...X, []], [1, 0, 1, 0, 1]);
    assert.deepEqual(withEmpty.predictProba([['great', 'dull']]), nb.predictProba([['great', 'dull']]));
  });

  it('refuses mismatched labels, non-integer labels, bad options and use before fit', () => {
    assert.throws(() => new NaiveBayesText().fit(['a'], []), InvalidArgumentError);
    assert.throws(() => new NaiveBayesText().fit(['a'], [0.5]), /not an integer class/);
    assert.throws(() => new NaiveBayesText({ smoothing: 0 }), OptionsError);
    assert.throws(() => new NaiveBayesText().predict(['a']), /not fitted/);
    assert.deepEqual(new NaiveBayesText({ smoothing: 2 }).clone().options, { smoothing: 2 });
  });
});
