/**
 * d2l §11.7 Transformer encoder/decoder blocks and the encoder–decoder model.
 */
export * from './add-norm.js';
export * from './layer-norm.js';
export * from './position-wise-ffn.js';
export * from './token-embedding.js';
export * from './transformer-decoder.js';
export * from './transformer-decoder-block.js';
export * from './transformer-encoder.js';
export * from './transformer-encoder-block.js';
export * from './transformer-seq2seq.js';
export * from './transformer-state.js';
