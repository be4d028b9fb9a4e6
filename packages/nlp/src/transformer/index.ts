/**
 * d2l §11.7 Transformer encoder/decoder blocks and the encoder–decoder model.
 */
export {};
