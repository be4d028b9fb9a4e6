/**
 * d2l §14.7 TinySSD: model, loss, training metrics. Importing it registers the 'tinyssd' detector.
 */

export * from './detection-figure.js';
export * from './loss.js';
export * from './net.js';
export * from './tiny-ssd.js';
