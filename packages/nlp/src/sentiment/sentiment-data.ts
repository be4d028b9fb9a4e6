/**
 * The UCI labelled sentences as a classification set: a fixed seeded train/test split,
 * treebank tokens (lowercase), a vocab from the training part only, and ids padded or truncated
 * to `numSteps` with `<pad>` (d2l's `truncate_pad`).
 *
 *   const ds = sentimentData({ seed: 0, testFraction: 0.2, numSteps: 40 });
 *   ds.train.x; // int32 [2400, 40]     ds.train.y: int32 [2400]
 */
import { Rng } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';
import { type LabelledSentence, uciSentences } from '../corpus/corpora.js';
import { ModelUseError } from '../errors.js';
import { truncatePad } from '../text/truncate-pad.js';
import { EnglishTokenizer } from '../tokenize/english.js';
import { Vocab } from '../vocab/vocab.js';

export const PAD = '<pad>';

export interface SentimentDataOptions {
  /** Seed of the split. Default 0. */
  seed?: number;
  /** Share of sentences held out for testing. Default 0.2. */
  testFraction?: number;
  /** Tokens per sentence after padding/truncation. Default 40. */
  numSteps?: number;
  /** Vocab min frequency (train part). Default 1. */
  minFreq?: number;
  /** The sentences; default all 3,000 UCI ones. */
  sentences?: readonly LabelledSentence[];
}

export interface SentimentSplit {
  sentences: LabelledSentence[];
  tokens: string[][];
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

export interface SentimentData {
  vocab: Vocab;
  numSteps: number;
  train: SentimentSplit;
  test: SentimentSplit;
}

const tokenizer = () => new EnglishTokenizer({ kind: 'treebank', lowercase: true });

/** Token ids [n, numSteps] (int32) of tokenized sentences. */
export function encodeSentences(
  tokens: readonly (readonly string[])[],
  vocab: Vocab,
  numSteps: number,
): tf.Tensor2D {
  if (!vocab.has(PAD))
    throw new ModelUseError(`the vocab has no '${PAD}' token; build it with reserved: ['${PAD}'].`);
  const pad = vocab.indexOf(PAD);
  const rows = tokens.map((t) => truncatePad(vocab.indicesOf(t), numSteps, pad));
  return tf.tensor2d(rows.flat(), [tokens.length, numSteps], 'int32');
}

/** Tokens of raw texts, as the training data was tokenized. */
export function tokenizeSentences(texts: readonly string[]): string[][] {
  const tok = tokenizer();
  return texts.map((t) => (t.trim() === '' ? [] : tok.tokenize(t)));
}

export function sentimentData(options: SentimentDataOptions = {}): SentimentData {
  const { seed = 0, testFraction = 0.2, numSteps = 40, minFreq = 1 } = options;
  const all = [...(options.sentences ?? uciSentences())];
  const order = new Rng(seed).permutation(all.length);
  const nTest = Math.round(all.length * testFraction);
  if (nTest < 1 || nTest >= all.length) {
    throw new ModelUseError(
      `testFraction ${testFraction} of ${all.length} sentences leaves an empty split; use a value in (0, 1).`,
    );
  }
  const pick = (from: number, to: number) => Array.from(order.subarray(from, to), (i) => all[i]!);
  const [testRows, trainRows] = [pick(0, nTest), pick(nTest, all.length)];
  const trainTokens = tokenizeSentences(trainRows.map((s) => s.text));
  const vocab = Vocab.build(trainTokens, { minFreq, reserved: [PAD] });
  const split = (rows: LabelledSentence[], tokens: string[][]): SentimentSplit => ({
    sentences: rows,
    tokens,
    x: encodeSentences(tokens, vocab, numSteps),
    y: tf.tensor1d(
      rows.map((r) => r.label),
      'int32',
    ),
  });
  return {
    vocab,
    numSteps,
    train: split(trainRows, trainTokens),
    test: split(testRows, tokenizeSentences(testRows.map((s) => s.text))),
  };
}
