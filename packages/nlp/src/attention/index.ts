/**
 * Attention (d2l ch. 11): Nadaraya–Watson pooling, masked softmax, additive and scaled
 * dot-product attention, multi-head and self-attention, sinusoidal and learned positional
 * encodings, and attention-weight heatmaps.
 */
export * from './additive-attention.js';
export * from './attention-error.js';
export * from './attention-heatmap.js';
export * from './attention-pooling.js';
export * from './dot-product-attention.js';
export * from './linear.js';
export * from './masked-softmax.js';
export * from './multi-head-attention.js';
export * from './nadaraya-watson.js';
export * from './positional-encoding.js';
