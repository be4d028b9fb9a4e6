/**
 * What every zoo model is configured with: input [height, width, channels] and class count.
 *
 *   createModel('resnet18', { inputShape: [96, 96, 1], numClasses: 10 });
 */

export interface ZooModelOptions {
  /** [height, width, channels]. Default: the model's own (LeNet 28×28×1, AlexNet 224×224×1, …). */
  inputShape?: [number, number, number];
  /** Output logits. Default 10. */
  numClasses?: number;
  /** The tfjs model name. Default: the zoo name. */
  name?: string;
}

export type ResolvedZooOptions = Required<ZooModelOptions>;

/** Optimizers a zoo model can default to (`createOptimizer` names; momentum is SGD with μ 0.9). */
export type ZooOptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamw';

/**
 * How a zoo model trains unless told otherwise: d2l's settings (Fashion-MNIST, batch 128), or
 * better ones where d2l's would leave `vision train` at chance level for its first epochs.
 */
export interface ZooTrainDefaults {
  optimizer: ZooOptimizerName;
  lr: number;
  /** Passes over the training set. */
  epochs: number;
  /** The weight initialization the model is built with (blocks.ts), for `pnpm vision models`. */
  init: string;
  /** Where the values come from, and why when they differ from d2l's. */
  source: string;
}
