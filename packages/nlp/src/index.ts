/**
 * @dlpipe/nlp — tokenizers (natural, nodejieba, WordPiece for BERT), vocabularies and Zipf plots,
 * offline corpora with d2l's sequence partitioning, n-gram and RNN/GRU/LSTM language models
 * (scratch and tfjs layers), and sentiment classifiers (BiRNN, TextCNN, naive Bayes).
 *
 *   import { EnglishTokenizer, ChineseTokenizer, bertUncased, Vocab, NgramLM } from '@dlpipe/nlp';
 */

export { Rng } from '@dlpipe/core';
export * from './attention/index.js';
export * from './bleu/index.js';
export * from './corpus/corpora.js';
export * from './corpus/partition.js';
export * from './errors.js';
export * from './lm/ngram-lm.js';
export * from './pairs/index.js';
export * from './rnn/cells.js';
export * from './rnn/create-encoder.js';
export * from './rnn/encoder.js';
export * from './rnn/layers-encoder.js';
export * from './rnn/lm-data.js';
export * from './rnn/lm-io.js';
export * from './rnn/perplexity-metric.js';
export * from './rnn/rnn-lm.js';
export * from './rnn/sample-token.js';
export * from './rnn/scratch-encoder.js';
export * from './rnn/train-char-lm.js';
export * from './sentiment/classifiers.js';
export * from './sentiment/naive-bayes.js';
export * from './sentiment/sentiment-data.js';
export * from './sentiment/sentiment-eval.js';
export * from './sentiment/train-sentiment.js';
export * from './seq2seq/index.js';
export * from './text/bert-chars.js';
export * from './text/bert-normalizer.js';
export * from './text/check-text.js';
export * from './text/normalizers.js';
export * from './text/truncate-pad.js';
export * from './timeseries/index.js';
export * from './tokenize/chinese.js';
export * from './tokenize/english.js';
export * from './tokenize/natural-loader.js';
export * from './transformer/index.js';
export * from './vocab/vocab.js';
export * from './vocab/zipf.js';
export * from './wordpiece/post-processors.js';
export * from './wordpiece/pre-tokenizers.js';
export * from './wordpiece/tokenizer.js';
export * from './wordpiece/vocab-file.js';
export * from './wordpiece/wordpiece-model.js';
