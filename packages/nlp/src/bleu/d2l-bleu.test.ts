/**
 * d2l's `bleu` (§10.7.6): cases computed by hand, and the values of d2l's own function
 * (transcribed verbatim in bleu.reference.py) on the book's translation pairs and edge cases.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '@dlpipe/core';
import { bleu } from './d2l-bleu.js';
import { SACREBLEU } from './sacrebleu.vectors.js';

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

describe("d2l's bleu", () => {
  it('hand-computed cases', () => {
    close(bleu('va !', 'va !', 2), 1, 'exact match');
    // len 3 vs 4: exp(1 − 4/3); unigrams 3/3; bigrams "il est" of "il est", "est ." → (1/2)^(1/4)
    close(bleu('il est .', 'il est calme .', 2), Math.exp(-1 / 3) * 0.5 ** 0.25, 'short prediction');
    // longer than the label: no penalty; unigrams a, a clipped to the label's two a's → 2/4; bigrams
    // "a a" ×3 against one "a a" → 1/3; trigrams "a a a" ×2, none in the label → 0
    close(bleu('a a a a', 'a a b', 2), (2 / 4) ** 0.5 * (1 / 3) ** 0.25, 'clipping');
    close(bleu('a a a a', 'a a b', 3), 0, 'no trigram match: 0, no smoothing');
    // k beyond the prediction's length stops at len_pred: only 1- and 2-grams of "le chat"
    close(bleu('le chat', 'le chat noir', 5), Math.exp(1 - 3 / 2), 'k > len_pred');
    // tokens are split at single spaces: "a  b" is ["a", "", "b"]
    close(bleu('a  b', 'a b', 1), (2 / 3) ** 0.5, 'empty token');
  });

  it("equals d2l's Python function on its cases", () => {
    for (const c of SACREBLEU.d2l)
      close(bleu(c.pred, c.label, c.k), c.score, `${c.pred} / ${c.label} / ${c.k}`);
  });

  it('refuses a k that is not a positive integer', () => {
    assert.throws(() => bleu('a', 'a', 0), InvalidArgumentError);
    assert.throws(() => bleu('a', 'a', 1.5), /k must be a positive integer/);
  });
});
