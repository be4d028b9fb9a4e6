/**
 * @dlpipe/data — tables (typed columns, CSV in every common compression, Feather v2), transforms,
 * feature engineering, splits, dataset loaders (MNIST-format idx, canonical downloads) and data
 * sources that feed `fit` (in @dlpipe/data/tensors, so this entry loads no TensorFlow.js).
 *
 *   import { readCsv, writeFeather, StandardScaler, trainTestSplit } from '@dlpipe/data';
 */
export * from './arrow-convert.js';
export * from './errors.js';
export * from './feather.js';
export * from './features/bucketize.js';
export * from './features/categories.js';
export * from './features/date-parts.js';
export * from './features/encoders.js';
export * from './features/hashing.js';
export * from './features/split.js';
export * from './features/tfidf.js';
export * from './idx.js';
export * from './io/compression.js';
export * from './io/csv-read.js';
export * from './io/csv-records.js';
export * from './io/csv-write.js';
export * from './io/table-io.js';
export * from './loaders/download.js';
export * from './loaders/iterators.js';
export * from './mnist.js';
export * from './table/column.js';
export * from './table/format.js';
export * from './table/parse-cell.js';
export * from './table/table.js';
export * from './text/naive-bayes.js';
export * from './text/natural.js';
export * from './text/tokenize.js';
export * from './transforms/imputer.js';
export * from './transforms/log1p.js';
export * from './transforms/persist.js';
export * from './transforms/pipeline.js';
export * from './transforms/scalers.js';
export * from './transforms/transformer.js';
