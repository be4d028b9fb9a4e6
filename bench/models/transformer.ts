/**
 * d2l's Transformer encoder–decoder (ch. 11.7) in tf ops over `tf.variable`s: hidden 32, 2+2
 * layers, 4 heads, FFN 64, dropout 0.1, trained with teacher forcing, a masked softmax
 * cross-entropy, gradient clipping to norm 1 and Adam — as torch_reference.py's `transformer_step`.
 *
 *   const net = transformer.create({ batch: 64 }); net.trainStep(); // loss
 */
import { createOptimizer, tf } from '@dlpipe/tensor';
import { type BenchModel, type BenchModelSpec, clippedStep, countParams } from './bench-model.js';
import {
  addNorm,
  arange,
  type FfnParams,
  linear,
  MultiHeadAttention,
  ParamStore,
  positionalEncoding,
  positionWiseFFN,
} from './transformer-blocks.js';

/**
 * PyTorch's count for the same net: 60937, from `sum(p.numel() for p in torch_reference
 * .Transformer(184, 201).parameters())` run with /usr/bin/python3 on
 * ../shared/bench/torch_reference.py (torch 1.13).
 */
export const TRANSFORMER_TORCH_PARAMS = 60937;

/** Options of `Transformer`. */
export interface TransformerOptions {
  /** Source vocabulary size (the reference: 184). */
  srcVocabSize: number;
  /** Target vocabulary size (the reference: 201). */
  tgtVocabSize: number;
  /** Model width (default 32). */
  numHiddens?: number;
  /** Width of the position-wise FFN (default 64). */
  ffnNumHiddens?: number;
  /** Attention heads (default 4). */
  numHeads?: number;
  /** Encoder blocks and decoder blocks, each (default 2). */
  numLayers?: number;
  /** Dropout rate (default 0.1). */
  dropout?: number;
}

type Norm = { gamma: tf.Variable; beta: tf.Variable };
interface EncoderBlock {
  attention: MultiHeadAttention;
  addnorm1: Norm;
  ffn: FfnParams;
  addnorm2: Norm;
}
interface DecoderBlock extends EncoderBlock {
  crossAttention: MultiHeadAttention;
  addnorm3: Norm;
}

/** The encoder–decoder; `forward(src, srcValidLens, decIn)` gives `[B, L, tgtVocabSize]` logits. */
export class Transformer {
  readonly params = new ParamStore();
  private readonly n: number;
  private readonly dropout: number;
  private readonly P: tf.Tensor2D;
  private readonly encEmbedding: tf.Variable;
  private readonly decEmbedding: tf.Variable;
  private readonly encBlocks: EncoderBlock[] = [];
  private readonly decBlocks: DecoderBlock[] = [];
  private readonly dense;

  constructor(options: TransformerOptions) {
    this.n = options.numHiddens ?? 32;
    this.dropout = options.dropout ?? 0.1;
    this.P = positionalEncoding(this.n);
    const layers = options.numLayers ?? 2;
    this.encEmbedding = this.params.embedding('enc.embedding', options.srcVocabSize, this.n);
    for (let i = 0; i < layers; i++) this.encBlocks.push(this.encoderBlock(`enc${i}`, options));
    this.decEmbedding = this.params.embedding('dec.embedding', options.tgtVocabSize, this.n);
    for (let i = 0; i < layers; i++) this.decBlocks.push(this.decoderBlock(`dec${i}`, options));
    this.dense = this.params.linear('dec.dense', this.n, options.tgtVocabSize);
  }

  private attention(name: string, options: TransformerOptions): MultiHeadAttention {
    const { numHeads = 4 } = options;
    return new MultiHeadAttention({
      params: this.params,
      name,
      numHiddens: this.n,
      numHeads,
      dropout: this.dropout,
    });
  }

  private encoderBlock(name: string, options: TransformerOptions): EncoderBlock {
    const f = options.ffnNumHiddens ?? 64;
    return {
      attention: this.attention(`${name}.attention`, options),
      addnorm1: this.params.layerNorm(`${name}.addnorm1`, this.n),
      ffn: {
        dense1: this.params.linear(`${name}.ffn.dense1`, this.n, f),
        dense2: this.params.linear(`${name}.ffn.dense2`, f, this.n),
      },
      addnorm2: this.params.layerNorm(`${name}.addnorm2`, this.n),
    };
  }

  private decoderBlock(name: string, options: TransformerOptions): DecoderBlock {
    return {
      ...this.encoderBlock(name, options),
      crossAttention: this.attention(`${name}.crossAttention`, options),
      addnorm3: this.params.layerNorm(`${name}.addnorm3`, this.n),
    };
  }

  /** Embedding · √n + positional encoding, then dropout. */
  private embed(table: tf.Variable, tokens: tf.Tensor2D, training: boolean): tf.Tensor {
    const L = tokens.shape[1];
    const X = tf.add(
      tf.mul(tf.gather(table, tokens), Math.sqrt(this.n)),
      tf.slice(this.P, [0, 0], [L, this.n]),
    );
    return training ? tf.dropout(X, this.dropout) : X;
  }

  private encode(src: tf.Tensor2D, validLens: tf.Tensor1D, training: boolean): tf.Tensor {
    let X = this.embed(this.encEmbedding, src, training);
    for (const b of this.encBlocks) {
      const Y = addNorm(
        X,
        b.attention.forward(X, X, X, validLens, training),
        b.addnorm1,
        this.dropout,
        training,
      );
      X = addNorm(Y, positionWiseFFN(Y, b.ffn), b.addnorm2, this.dropout, training);
    }
    return X;
  }

  private decode(decIn: tf.Tensor2D, enc: tf.Tensor, encValidLens: tf.Tensor1D, training: boolean) {
    const [B, L] = decIn.shape;
    const decValidLens = tf.tile(tf.reshape(tf.add(arange(L), 1), [1, L]), [B, 1]); // causal mask
    let X = this.embed(this.decEmbedding, decIn, training);
    for (const b of this.decBlocks) {
      const X2 = b.attention.forward(X, X, X, decValidLens, training);
      const Y = addNorm(X, X2, b.addnorm1, this.dropout, training);
      const Y2 = b.crossAttention.forward(Y, enc, enc, encValidLens, training);
      const Z = addNorm(Y, Y2, b.addnorm2, this.dropout, training);
      X = addNorm(Z, positionWiseFFN(Z, b.ffn), b.addnorm3, this.dropout, training);
    }
    return linear(X, this.dense);
  }

  forward(src: tf.Tensor2D, srcValidLens: tf.Tensor1D, decIn: tf.Tensor2D, training = true): tf.Tensor3D {
    return this.decode(
      decIn,
      this.encode(src, srcValidLens, training),
      srcValidLens,
      training,
    ) as tf.Tensor3D;
  }

  dispose(): void {
    this.P.dispose();
    tf.dispose(Object.values(this.params.vars));
  }
}

/** Sum over the batch of the per-sequence mean of the token losses inside `validLens`. */
export function maskedSoftmaxCELoss(
  logits: tf.Tensor3D,
  labels: tf.Tensor2D,
  validLens: tf.Tensor1D,
): tf.Scalar {
  const [B, L, V] = logits.shape;
  const onehot = tf.oneHot(tf.reshape(labels, [-1]) as tf.Tensor1D, V);
  const reduction = tf.Reduction.NONE;
  const perToken = tf.losses.softmaxCrossEntropy(
    onehot,
    tf.reshape(logits, [-1, V]),
    undefined,
    0,
    reduction,
  );
  const mask = tf.cast(tf.less(tf.reshape(arange(L), [1, L]), tf.reshape(validLens, [B, 1])), 'float32');
  return tf.sum(tf.mean(tf.mul(tf.reshape(perToken, [B, L]), mask), 1));
}

/** Random integers in `[low, high)`, `shape`, as int32. */
function randInt(shape: number[], low: number, high: number): tf.Tensor {
  return tf.tidy(() => tf.floor(tf.randomUniform(shape, low, high)).toInt());
}

/** The reference's batch: random tokens and lengths, decoder input = `<bos>` + target[:-1]. */
function randomBatch(B: number, L: number, srcVocab: number, tgtVocab: number) {
  const src = randInt([B, L], 3, srcVocab) as tf.Tensor2D;
  const tgt = randInt([B, L], 3, tgtVocab) as tf.Tensor2D;
  const srcValidLens = randInt([B], 3, L + 1) as tf.Tensor1D;
  const tgtValidLens = randInt([B], 3, L + 1) as tf.Tensor1D;
  const bos = tf.fill([B, 1], 1, 'int32');
  const decIn = tf.concat([bos, tf.slice(tgt, [0, 0], [B, L - 1])], 1) as tf.Tensor2D;
  return { src, tgt, srcValidLens, tgtValidLens, decIn };
}

function createTransformer({ batch }: { batch: number }): BenchModel {
  const net = new Transformer({ srcVocabSize: 184, tgtVocabSize: 201 });
  const data = tf.tidy(() => randomBatch(batch, 10, 184, 201));
  const optimizer = createOptimizer({ name: 'adam', lr: 0.005 }); // dlpipe's Adam: fused update, PyTorch's ε 1e-8
  const vars = Object.values(net.params.vars);
  return {
    paramCount: () => countParams(vars.map((v) => v.shape)),
    trainStep: () =>
      clippedStep(
        () => {
          const logits = net.forward(data.src, data.srcValidLens, data.decIn);
          return maskedSoftmaxCELoss(logits, data.tgt, data.tgtValidLens);
        },
        vars,
        optimizer,
      ),
    forward() {
      const logits = tf.tidy(() => net.forward(data.src, data.srcValidLens, data.decIn));
      logits.dataSync();
      logits.dispose();
    },
    dispose() {
      tf.dispose(data);
      optimizer.dispose();
      net.dispose();
    },
  };
}

export const transformer: BenchModelSpec = {
  name: 'transformer',
  trainBatch: () => 64,
  forwardBatch: 64,
  warmup: 10,
  iters: 15,
  torchKeys: { train: 'transformer', forward: 'transformerfwd' },
  torchGroup: 'transformer',
  torchParams: TRANSFORMER_TORCH_PARAMS,
  create: createTransformer,
};
