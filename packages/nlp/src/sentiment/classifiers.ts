/**
 * d2l's sentiment classifiers (15.2, 15.3) as tfjs Layers models over padded token ids
 * [batch, numSteps]: a BiRNN (embedding → bidirectional LSTM layers → the outputs at the first
 * and the last step, concatenated → dense) and TextCNN (embedding → 1-D convolutions with
 * kernels 3/4/5 → max-over-time pooling → concatenation → dropout → dense). Both give logits
 * over 2 classes and train with `fit(layersTask(net), …)`.
 *
 *   const net = createClassifier('textcnn', { vocabSize: vocab.size, numSteps: 40 });
 */
import { tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { ModelUseError } from '../errors.js';

export const CLASSIFIERS = ['birnn', 'textcnn'] as const;
export type ClassifierName = (typeof CLASSIFIERS)[number];

export interface ClassifierOptions {
  vocabSize: number;
  /** Tokens per (padded) sentence. */
  numSteps: number;
  /** Embedding width. Default 100 (d2l, with GloVe; here learned). */
  embedSize?: number;
  /** BiRNN: hidden units per direction. Default 100. */
  numHiddens?: number;
  /** BiRNN: stacked bidirectional LSTM layers. Default 2. */
  numLayers?: number;
  /** TextCNN: kernel widths. Default [3, 4, 5]. */
  kernelSizes?: number[];
  /** TextCNN: channels per kernel width. Default [100, 100, 100]. */
  numChannels?: number[];
  /** TextCNN: dropout before the output layer. Default 0.5. */
  dropout?: number;
  /** Output classes. Default 2. */
  numClasses?: number;
}

export const classifierOptionsSchema = z.object({
  vocabSize: z.number().int().min(2),
  numSteps: z.number().int().positive(),
  embedSize: z.number().int().positive().default(100),
  numHiddens: z.number().int().positive().default(100),
  numLayers: z.number().int().positive().default(2),
  kernelSizes: z.array(z.number().int().positive()).min(1).default([3, 4, 5]),
  numChannels: z.array(z.number().int().positive()).min(1).default([100, 100, 100]),
  dropout: z.number().min(0).max(0.99).default(0.5),
  numClasses: z.number().int().min(2).default(2),
});

type Resolved = z.output<typeof classifierOptionsSchema>;

function embedded(o: Resolved) {
  const input = tf.input({ shape: [o.numSteps], dtype: 'int32' });
  const emb = tf.layers
    .embedding({ inputDim: o.vocabSize, outputDim: o.embedSize })
    .apply(input) as tf.SymbolicTensor;
  return { input, emb };
}

/** d2l's BiRNN: concat(outputs[0], outputs[-1]) of the top bidirectional LSTM → dense. */
export function biRNN(o: Resolved): tf.LayersModel {
  const { input, emb } = embedded(o);
  let h = emb;
  for (let l = 0; l < o.numLayers; l++) {
    const lstm = tf.layers.lstm({
      units: o.numHiddens,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      recurrentInitializer: 'glorotUniform',
    });
    h = tf.layers.bidirectional({ layer: lstm, mergeMode: 'concat' }).apply(h) as tf.SymbolicTensor;
  }
  // outputs[0] and outputs[-1]: tfjs has no cropping1D, so view [T, 2H] as an image [T, 2H, 1].
  const image = tf.layers.reshape({ targetShape: [o.numSteps, 2 * o.numHiddens, 1] }).apply(h);
  const step = (crop: [number, number]) =>
    tf.layers
      .flatten()
      .apply(tf.layers.cropping2D({ cropping: [crop, [0, 0]] }).apply(image)) as tf.SymbolicTensor;
  const ends = tf.layers
    .concatenate()
    .apply([step([0, o.numSteps - 1]), step([o.numSteps - 1, 0])]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: o.numClasses }).apply(ends) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'birnn' });
}

/** d2l's TextCNN: per kernel width a conv1d + ReLU + max-over-time pooling, concatenated. */
export function textCNN(o: Resolved): tf.LayersModel {
  if (o.kernelSizes.length !== o.numChannels.length) {
    throw new ModelUseError(
      `kernelSizes has ${o.kernelSizes.length} widths but numChannels ${o.numChannels.length}; give one channel count per width.`,
    );
  }
  const { input, emb } = embedded(o);
  const pooled = o.kernelSizes.map((k, i) => {
    const conv = tf.layers
      .conv1d({ filters: o.numChannels[i]!, kernelSize: k, activation: 'relu' })
      .apply(emb);
    return tf.layers.globalMaxPooling1d({}).apply(conv) as tf.SymbolicTensor;
  });
  const cat = pooled.length === 1 ? pooled[0]! : (tf.layers.concatenate().apply(pooled) as tf.SymbolicTensor);
  const dropped = tf.layers.dropout({ rate: o.dropout }).apply(cat) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: o.numClasses }).apply(dropped) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out, name: 'textcnn' });
}

const BUILDERS: Readonly<Record<ClassifierName, (o: Resolved) => tf.LayersModel>> = {
  birnn: biRNN,
  textcnn: textCNN,
};

export function createClassifier(name: ClassifierName, options: ClassifierOptions): tf.LayersModel {
  const o = classifierOptionsSchema.parse(options);
  if (o.numSteps < Math.max(...o.kernelSizes) && name === 'textcnn') {
    throw new ModelUseError(
      `numSteps ${o.numSteps} is shorter than the widest kernel ${Math.max(...o.kernelSizes)}; pad sentences to at least that.`,
    );
  }
  return BUILDERS[name](o);
}
