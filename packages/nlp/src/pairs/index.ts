/**
 * Parallel sentence pairs (en–fr, en–zh) built from gettext .mo catalogs, their splits and
 * pair files, and a synthetic copy/reverse task.
 */
export * from './build-pairs.js';
export * from './catalogs.js';
export * from './clean-pair.js';
export * from './dedup-pairs.js';
export * from './length-histogram.js';
export * from './mo-file.js';
export * from './mo-writer.js';
export * from './pair-tokens.js';
export * from './pairs-tsv.js';
export * from './split.js';
export * from './synthetic.js';
