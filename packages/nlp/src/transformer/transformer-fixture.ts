/**
 * For the tests: the PyTorch numbers of `transformer.reference.json` (written by
 * `transformer.reference.py` with bench/nlp_seq2seq_torch_transformer.py, torch 1.13) and the
 * script's weights: det(shape, 200 + k), k the index among the sorted names (layer-norm scales
 * 1 + det, biases 0.1 · det).
 *
 *   const model = referenceModel();           // the script's model and weights, eval numbers in ref.model
 */
import { readFileSync } from 'node:fs';
import { tf } from '@dlpipe/tensor';
import { det } from '../attention/reference-fixture.js';
import { TransformerSeq2Seq, transformerConfig } from './transformer-seq2seq.js';

export interface TransformerReference {
  torch: string;
  encoderBlockShape: number[];
  encoderBlock: { names: string[]; output: number[]; attentionWeights: number[] };
  model: {
    config: {
      srcVocabSize: number;
      tgtVocabSize: number;
      numHiddens: number;
      ffnNumHiddens: number;
      numHeads: number;
      numLayers: number;
    };
    names: string[];
    src: number[][];
    srcValidLen: number[];
    tgtIn: number[][];
    encoderOutputs: number[];
    encoderAttentionWeights1: number[];
    logits: number[];
    decoderSelfAttentionWeights0: number[];
    decoderCrossAttentionWeights1: number[];
    grads: Record<string, number[]>;
  };
}

export function transformerReference(): TransformerReference {
  return JSON.parse(readFileSync(new URL('./transformer.reference.json', import.meta.url), 'utf8'));
}

/** The script's `ref_weight`: layer-norm scales 1 + det, biases 0.1 · det, the rest det. */
function referenceWeight(name: string, shape: number[], salt: number): tf.Tensor {
  return tf.tidy(() => {
    const d = det(shape, salt);
    if (name.endsWith('ln.weight')) return tf.add(d, 1);
    return name.endsWith('bias') ? tf.mul(d, 0.1) : d;
  });
}

/** The script's weights for `named`, salt 200 + k for the k-th of the sorted names. */
export function referenceWeights(named: Record<string, tf.Variable>): Record<string, tf.Tensor> {
  return Object.fromEntries(
    Object.keys(named)
      .sort()
      .map((name, k) => [name, referenceWeight(name, named[name]!.shape, 200 + k)]),
  );
}

/** The reference model (dropout 0) with the script's weights. */
export function referenceModel(ref = transformerReference()): TransformerSeq2Seq {
  const model = new TransformerSeq2Seq(transformerConfig({ ...ref.model.config, dropout: 0 }));
  const weights = referenceWeights(model.namedWeights());
  model.setWeights(weights);
  tf.dispose(Object.values(weights));
  return model;
}

/** The reference batch as int32 / float32 tensors. */
export function referenceBatch(ref = transformerReference()) {
  return {
    src: tf.tensor2d(ref.model.src, undefined, 'int32'),
    srcValidLen: tf.tensor1d(ref.model.srcValidLen, 'float32'),
    tgtIn: tf.tensor2d(ref.model.tgtIn, undefined, 'int32'),
  };
}
