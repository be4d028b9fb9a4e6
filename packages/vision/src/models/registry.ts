/**
 * The model zoo by name: an explicit registry of d2l's networks with their default input sizes
 * and training settings (optimizer, lr, epochs: `pnpm vision train` uses them unless flags say
 * otherwise), `createModel(name, options)`, trainable parameter counts as PyTorch counts them
 * (`sum(p.numel() for p in net.parameters())`: batch-norm running statistics are buffers, not
 * parameters) and a check that images fit a model's input.
 *
 *   const net = createModel('resnet18', { inputShape: [96, 96, 1], numClasses: 10 });
 *   countParameters(net); // 11178378, as PyTorch
 *   zooEntry('lenet').train; // { optimizer: 'adam', lr: 0.005, epochs: 10, … }
 */
import type { OptimizerOptions, tf } from '@dlpipe/tensor';
import { ImageShapeError, ModelConfigError } from '../errors.js';
import { alexnet, lenet, lenetBn, mlp, nin, VGG11, vgg } from './classic.js';
import { densenet, googlenet, resnet, resnet50 } from './modern.js';
import type { ResolvedZooOptions, ZooModelOptions, ZooTrainDefaults } from './types.js';

export interface ZooEntry {
  summary: string;
  /** [height, width, channels] d2l trains it at on Fashion-MNIST. */
  defaultInput: [number, number, number];
  /** How it trains unless told otherwise (batch 128, as d2l). */
  train: ZooTrainDefaults;
  build(o: ResolvedZooOptions): tf.LayersModel;
}

/** The initialization every zoo model is built with (blocks.ts): d2l's `init_cnn`. */
const D2L_INIT = 'xavier-uniform (d2l init_cnn), PyTorch biases';

/** d2l's plain SGD at `lr` for its default 10 epochs, from `section`. */
const d2lSgd = (lr: number, section: string): ZooTrainDefaults => ({
  optimizer: 'sgd',
  lr,
  epochs: 10,
  init: D2L_INIT,
  source: `d2l ${section}`,
});

export const MODELS: Record<string, ZooEntry> = {
  mlp: {
    summary: 'd2l §5.2 MLP: flatten, 256 ReLU, logits',
    defaultInput: [28, 28, 1],
    train: d2lSgd(0.1, '§5.2'),
    build: (o) => mlp(o),
  },
  lenet: {
    summary: 'd2l §7.6 LeNet-5 (sigmoid, avg-pool)',
    defaultInput: [28, 28, 1],
    // d2l's SGD at 0.1 (or 0.9 in its 2nd edition) stays at chance for the first epochs: the
    // sigmoids saturate. Adam gets past 0.7 in the first epoch.
    train: {
      optimizer: 'adam',
      lr: 0.005,
      epochs: 10,
      init: D2L_INIT,
      source: "better than d2l §7.6's SGD at 0.1, which stays at chance for 2-3 epochs",
    },
    build: lenet,
  },
  'lenet-bn': {
    summary: 'd2l §8.5 LeNet with batch norm',
    defaultInput: [28, 28, 1],
    train: d2lSgd(0.1, '§8.5'),
    build: lenetBn,
  },
  alexnet: {
    summary: 'd2l §8.1 AlexNet',
    defaultInput: [224, 224, 1],
    train: d2lSgd(0.01, '§8.1'),
    build: alexnet,
  },
  vgg11: {
    summary: 'd2l §8.2 VGG-11',
    defaultInput: [224, 224, 1],
    train: d2lSgd(0.01, '§8.2'),
    build: (o) => vgg(o, VGG11),
  },
  'vgg11-small': {
    summary: "d2l §8.2 VGG-11 with 1/4 of the channels (d2l's Fashion-MNIST run)",
    defaultInput: [224, 224, 1],
    train: d2lSgd(0.01, '§8.2'),
    build: (o) =>
      vgg(
        o,
        VGG11.map(([n, c]) => [n, c / 4] as [number, number]),
      ),
  },
  nin: {
    summary: 'd2l §8.3 Network in Network',
    defaultInput: [224, 224, 1],
    train: d2lSgd(0.05, '§8.3'),
    build: nin,
  },
  googlenet: {
    summary: 'd2l §8.4 GoogLeNet (Inception v1)',
    defaultInput: [96, 96, 1],
    train: d2lSgd(0.01, '§8.4'),
    build: googlenet,
  },
  resnet18: {
    summary: 'd2l §8.6 ResNet-18',
    defaultInput: [96, 96, 1],
    train: d2lSgd(0.01, '§8.6'),
    build: (o) => resnet(o, [2, 2, 2, 2]),
  },
  resnet34: {
    summary: 'ResNet-34 (d2l basic blocks, 3-4-6-3)',
    defaultInput: [96, 96, 1],
    train: d2lSgd(0.01, "§8.6 (ResNet-18's)"),
    build: (o) => resnet(o, [3, 4, 6, 3]),
  },
  resnet50: {
    summary: 'ResNet-50 (torchvision bottleneck layout)',
    defaultInput: [224, 224, 3],
    // not in d2l; torchvision's recipe is SGD with momentum 0.9 (at lr 0.1 for batch 256, 90 epochs)
    train: {
      optimizer: 'momentum',
      lr: 0.01,
      epochs: 10,
      init: D2L_INIT,
      source: "torchvision's SGD with momentum 0.9, lr scaled down for 10 epochs",
    },
    build: resnet50,
  },
  densenet: {
    summary: 'd2l §8.7 DenseNet (growth 32, blocks 4-4-4-4)',
    defaultInput: [96, 96, 1],
    train: d2lSgd(0.1, '§8.7'),
    build: (o) => densenet(o),
  },
};

/** Names in the zoo. */
export function modelNames(): string[] {
  return Object.keys(MODELS);
}

/** The zoo's entry for `name`; an unknown name is a `ModelConfigError` listing the known ones. */
export function zooEntry(name: string): ZooEntry {
  const entry = Object.hasOwn(MODELS, name) ? MODELS[name] : undefined;
  if (!entry) {
    throw new ModelConfigError(
      `unknown model '${name}'; known: ${modelNames().join(', ')} (see \`pnpm vision models\`)`,
    );
  }
  return entry;
}

/** The optimizer options of a model's training defaults, e.g. `{ name: 'adam', lr: 0.005 }` for LeNet. */
export function defaultOptimizer(name: string): OptimizerOptions {
  const { optimizer, lr } = zooEntry(name).train;
  return { name: optimizer, lr };
}

/** Builds a zoo model; unknown names and impossible shapes are `ModelConfigError`s. */
export function createModel(name: string, options: ZooModelOptions = {}): tf.LayersModel {
  const entry = zooEntry(name);
  const o: ResolvedZooOptions = {
    inputShape: options.inputShape ?? entry.defaultInput,
    numClasses: options.numClasses ?? 10,
    name: options.name ?? name,
  };
  if (o.inputShape.some((d) => !Number.isInteger(d) || d < 1) || !(o.numClasses >= 1)) {
    throw new ModelConfigError(
      `${name}: inputShape [${o.inputShape}] and numClasses ${o.numClasses} must be positive integers`,
    );
  }
  const tooSmall = (why: string) =>
    new ModelConfigError(
      `${name} cannot take ${o.inputShape.join('×')} inputs (${why}); ` +
        `use at least its default ${entry.defaultInput.join('×')} (--resize)`,
    );
  let net: tf.LayersModel;
  try {
    net = entry.build(o);
  } catch (err) {
    throw tooSmall((err as Error).message.split('\n')[0] ?? '');
  }
  const empty = net.layers.find((l) =>
    (l.outputShape as Array<number | null>).some((d) => d !== null && d < 1),
  );
  if (empty) {
    net.dispose();
    throw tooSmall(`layer ${empty.name} would output [${empty.outputShape}]`);
  }
  return net;
}

/** Trainable parameters, as PyTorch's `parameters()` counts them. */
export function countParameters(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

/** Throws a clear error when NHWC images do not fit the model's input (size or channels). */
export function checkInput(model: tf.LayersModel, xShape: number[]): void {
  const want = model.inputs[0]?.shape.slice(1) ?? [];
  const got = xShape.slice(1);
  const bad = want.some((d, i) => d !== null && d !== got[i]);
  if (bad || got.length !== want.length) {
    const fix =
      want[2] !== got[2]
        ? `the images have ${got[2]} channel(s) but the model takes ${want[2]}: use --channels ${want[2]} or build the model with ${got[2]}`
        : `resize the images to ${want[0]}×${want[1]} (--resize)`;
    throw new ImageShapeError(`model '${model.name}' expects inputs [${want}] but got [${got}]; ${fix}`);
  }
}
