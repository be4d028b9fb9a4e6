/**
 * @dlpipe/vision — images with sharp (decode/encode/resize/crop/normalize), image datasets
 * (ImageFolder, CSV/JSONL and scraper manifests, MNIST-format), the d2l CNN zoo, seeded
 * augmentation, fine-tuning from nsfwjs's MobileNetV2, and classifier training with reports.
 *
 *   import { createModel, imageFolder, imageSource, trainClassifier } from '@dlpipe/vision';
 */
export * from './augment/transforms.js';
export * from './datasets/classification-data.js';
export * from './datasets/image-folder.js';
export * from './datasets/image-source.js';
export * from './datasets/manifest.js';
export * from './datasets/mnist.js';
export * from './datasets/mnist-subset.js';
export * from './datasets/read-image-set.js';
export * from './datasets/types.js';
export * from './detection/boxes/index.js';
export * from './detection/eval/index.js';
export * from './detection/formats/index.js';
export * from './detection/model/index.js';
export * from './detection/pretrained/index.js';
export * from './detection/synth/index.js';
export * from './detection/tinyssd/index.js';
export * from './detection/train/index.js';
export * from './detection/yolo/index.js';
export * from './errors.js';
export * from './features/embed-images.js';
export * from './finetune/compare-finetune.js';
export * from './finetune/comparison-plot.js';
export * from './finetune/finetune.js';
export * from './finetune/mobilenet-topology.js';
export * from './finetune/pretrained.js';
export * from './image/decode.js';
export * from './image/grid.js';
export * from './image/ops.js';
export * from './image/tensor-image.js';
export * from './models/registry.js';
export type { ZooModelOptions, ZooOptimizerName, ZooTrainDefaults } from './models/types.js';
export * from './train/predict.js';
export * from './train/report.js';
export * from './train/train-classifier.js';
export * from './train/trained-run.js';
