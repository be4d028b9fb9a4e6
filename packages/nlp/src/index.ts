/**
 * @dlpipe/nlp — tokenizers (natural, nodejieba, WordPiece for BERT), vocabularies and Zipf plots,
 * offline corpora with d2l's sequence partitioning, and n-gram language models.
 *
 *   import { EnglishTokenizer, ChineseTokenizer, bertUncased, Vocab, NgramLM } from '@dlpipe/nlp';
 */

export { Rng } from '@dlpipe/tensor';
export * from './corpus/corpora.js';
export * from './corpus/partition.js';
export * from './errors.js';
export * from './lm/ngram-lm.js';
export * from './text/check-text.js';
export * from './text/normalizers.js';
export * from './tokenize/chinese.js';
export * from './tokenize/english.js';
export * from './tokenize/natural-loader.js';
export * from './vocab/vocab.js';
export * from './vocab/zipf.js';
export * from './wordpiece/post-processors.js';
export * from './wordpiece/pre-tokenizers.js';
export * from './wordpiece/tokenizer.js';
export * from './wordpiece/vocab-file.js';
export * from './wordpiece/wordpiece-model.js';
