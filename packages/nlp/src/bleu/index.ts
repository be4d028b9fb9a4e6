/**
 * BLEU: d2l's `bleu` (§10.7.6) and sacreBLEU-compatible corpus and sentence BLEU with its
 * tokenizers, smoothing methods, score line and signature.
 *
 *   import { bleu, corpusBleu, formatBleuScore } from '@dlpipe/nlp';
 */
export * from './bleu-files.js';
export * from './bleu-options.js';
export * from './compute-bleu.js';
export * from './corpus-bleu.js';
export * from './d2l-bleu.js';
export * from './py-text.js';
export * from './signature.js';
export * from './tokenizer-13a.js';
export * from './tokenizer-intl.js';
export * from './tokenizer-zh.js';
export * from './tokenizers.js';
