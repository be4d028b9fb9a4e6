/**
 * @dlpipe/data — dataset loaders and, with later work, tables (CSV/Feather), transforms and
 * feature engineering.
 */
export * from './errors.js';
export * from './idx.js';
export * from './mnist.js';
