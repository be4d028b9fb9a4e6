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
