/**
 * d2l §10.6–10.8 encoder–decoder models, masked cross-entropy, training, greedy and beam decoding.
 */
export * from './bahdanau-seq2seq.js';
export * from './beam-search.js';
export * from './decode-options.js';
export * from './decode-step.js';
export * from './embedding.js';
export * from './encoder-decoder.js';
export * from './evaluate-seq2seq.js';
export * from './greedy-decode.js';
export * from './gru-seq2seq.js';
export * from './length-penalty.js';
export * from './masked-ce-loss.js';
export * from './row-state.js';
export * from './seq2seq-data.js';
export * from './seq2seq-io.js';
export * from './seq2seq-pairs.js';
export * from './stacked-gru.js';
export * from './train-seq2seq.js';
export * from './translate.js';
