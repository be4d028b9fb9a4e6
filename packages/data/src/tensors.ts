/**
 * @dlpipe/data/tensors — the parts of @dlpipe/data that make tensors (and so load TensorFlow.js):
 * MNIST-format splits as tensors, tables and table files as `DataSource`s for `fit`. The main
 * entry, `@dlpipe/data`, stays free of TensorFlow.js, so table tools start fast.
 *
 *   import { tableDataSource, toTensors } from '@dlpipe/data/tensors';
 */

export * from './tensors/mnist-tensors.js';
export * from './tensors/table-source.js';
