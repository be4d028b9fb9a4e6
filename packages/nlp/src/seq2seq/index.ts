/**
 * d2l §10.6–10.8 encoder–decoder models, masked cross-entropy, training, greedy and beam decoding.
 */
export * from './encoder-decoder.js';
