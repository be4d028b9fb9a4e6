/**
 * d2l §10.6's encoder–decoder contract that every translation model keeps (GRU seq2seq, the
 * Bahdanau decoder, the Transformer), so training, greedy decoding, beam search, save/load and the
 * `nlp seq2seq`/`nlp translate` commands work with any of them.
 *
 *   const model = createSeq2Seq({ arch: 'bahdanau', srcVocabSize: 200, tgtVocabSize: 220, embedSize: 32,
 *                                 numHiddens: 32, numLayers: 2, dropout: 0.1 });
 *   const enc = model.encode(src, srcValidLen, false);
 *   let state = model.initState(enc, srcValidLen);
 *   const { logits, state: next } = model.decode(tgtIn, state, false);   // [B, T, V]
 *   const picked = next.gather(tf.tensor1d([0, 0, 1, 1], 'int32'));      // beams from rows 0 and 1
 */
import type { tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';

export type Seq2SeqArch = 'gru' | 'bahdanau' | 'transformer';

/** What a model is built from; saved beside its weights, so it must be plain JSON. */
export interface Seq2SeqConfig {
  arch: Seq2SeqArch;
  srcVocabSize: number;
  tgtVocabSize: number;
  /** Token embedding width (the Transformer uses numHiddens). */
  embedSize: number;
  numHiddens: number;
  numLayers: number;
  dropout: number;
  /** Architecture-specific settings (heads, FFN width, …), plain JSON. */
  [key: string]: unknown;
}

/** A teacher-forced batch (d2l's): ids are int32, padded with the vocab's `<pad>`. */
export interface Seq2SeqBatch {
  /** [B, Ts] source ids, `<eos>`-terminated then padded. */
  src: tf.Tensor2D;
  /** [B] source lengths counting `<eos>` (float32 or int32). */
  srcValidLen: tf.Tensor1D;
  /** [B, Tt] decoder input: `<bos>` then the target shifted right. */
  tgtIn: tf.Tensor2D;
  /** [B, Tt] the target ids the decoder must predict, `<eos>`-terminated then padded. */
  tgtOut: tf.Tensor2D;
  /** [B] target lengths counting `<eos>`. */
  tgtValidLen: tf.Tensor1D;
}

/**
 * The decoder's state between calls. It owns its tensors: `gather` returns a new state holding
 * rows `indices` of every batch-indexed tensor (beam search's reorder/expand), `dispose` frees it.
 * Models keep the encoder outputs, valid lengths, hidden states or cached keys/values inside.
 * No two states share a tensor (`initState`, `decode` and `gather` clone what they carry over),
 * so disposing one never breaks another; decode-step.ts frees replaced states either way.
 */
export interface DecoderState {
  /** Batch rows in this state. */
  readonly batchSize: number;
  gather(indices: tf.Tensor1D): DecoderState;
  /** Every tensor the state holds (for tf.keep / leak checks). */
  tensors(): tf.Tensor[];
  dispose(): void;
}

/** What `encode` returns; opaque to callers except through `initState`. */
export interface EncoderResult {
  /** [B, Ts, H] encoder outputs. */
  outputs: tf.Tensor3D;
  /** Everything else the decoder needs (final hidden state per layer, …). */
  extra: tf.Tensor[];
}

export interface Seq2SeqModel {
  readonly config: Seq2SeqConfig;
  encode(src: tf.Tensor2D, srcValidLen: tf.Tensor1D, training: boolean): EncoderResult;
  /** The decoder's first state; it clones what it keeps of `encoded`, which the caller may then free. */
  initState(encoded: EncoderResult, srcValidLen: tf.Tensor1D): DecoderState;
  /**
   * Runs the decoder over `tgtIn` [B, T] from `state`: logits [B, T, tgtVocabSize] and the state
   * after the last step. Called with T = whole target for teacher forcing, T = 1 when decoding.
   * Does not dispose the state it is given.
   */
  decode(
    tgtIn: tf.Tensor2D,
    state: DecoderState,
    training: boolean,
  ): { logits: tf.Tensor3D; state: DecoderState };
  /**
   * Attention weights of the last decode call, [B, heads?, Tq, Tk] per layer, when the model has
   * attention. The last tensor must be the (last layer's) attention over the source, [B, (heads,) T, Ts]:
   * greedy decoding and the heatmaps read it. The model keeps them (callers must not dispose them).
   */
  attentionWeights?(): tf.Tensor[];
  trainableVariables(): tf.Variable[];
  /** Every weight by a stable name (what save/load writes). */
  namedWeights(): Record<string, tf.Variable>;
  dispose(): void;
}

export type Seq2SeqFactory = (config: Seq2SeqConfig) => Seq2SeqModel;

const factories = new Map<Seq2SeqArch, Seq2SeqFactory>();

/** Registers an architecture; each architecture's module calls this when imported. */
export function registerSeq2Seq(arch: Seq2SeqArch, factory: Seq2SeqFactory): void {
  factories.set(arch, factory);
}

export function seq2seqArchs(): Seq2SeqArch[] {
  return [...factories.keys()].sort();
}

/**
 * A new model of `config.arch`, initialized (seeded by the global seed). Architectures register
 * when their module is imported: import from `@dlpipe/nlp` or the seq2seq barrel, which imports
 * 'gru' and 'bahdanau' (and the package index, 'transformer').
 */
export function createSeq2Seq(config: Seq2SeqConfig): Seq2SeqModel {
  const factory = factories.get(config.arch);
  if (!factory) {
    throw new ModelUseError(
      `unknown seq2seq architecture '${String(config.arch)}'; known: ${seq2seqArchs().join(', ') || '(none registered)'}`,
    );
  }
  return factory(config);
}
