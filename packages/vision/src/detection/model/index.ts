/**
 * The detector contract and registry shared by every architecture.
 */
export * from './detector.js';
