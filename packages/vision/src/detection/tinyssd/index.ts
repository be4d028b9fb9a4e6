/**
 * d2l §14.7 TinySSD: model, loss, training metrics.
 */
export {};
