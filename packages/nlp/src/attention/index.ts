/**
 * Attention (d2l ch. 11): masked softmax, scoring functions, multi-head attention, positional encoding.
 */
export {};
