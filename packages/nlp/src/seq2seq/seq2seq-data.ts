/**
 * d2l §10.5's machine-translation data for the seq2seq models: token lines (the pair files' token
 * columns, already `preprocess_nmt`-ed, or raw text through `tokenizeSource`), source and target
 * vocabularies (min frequency 2, reserved `<pad> <bos> <eos>` after `<unk>`), `build_array_nmt`
 * (each line + `<eos>`, truncated or padded to `numSteps`, valid lengths counting `<eos>`), and
 * a `DataSource` of teacher-forced `Seq2SeqBatch`es (int32 ids; decoder input `<bos>` + target
 * shifted right) for `fit`.
 *
 *   const vocabs = buildSeq2SeqVocabs(train);                        // [src, tgt][] token lines
 *   const data = seq2seqArrays(train, vocabs, 10);
 *   const source = seq2seqDataSource(data, { batchSize: 64, shuffle: true });
 */
import { InvalidArgumentError, type Rng } from '@dlpipe/core';
import { type DataSource, tf } from '@dlpipe/tensor';
import { CorpusError } from '../errors.js';
import { preprocessNmt } from '../pairs/pair-tokens.js';
import { truncatePad } from '../text/truncate-pad.js';
import { Vocab } from '../vocab/vocab.js';
import type { Seq2SeqBatch } from './encoder-decoder.js';

/** Reserved tokens after `<unk>` (index 0): `<pad>` 1, `<bos>` 2, `<eos>` 3. */
export const SEQ2SEQ_RESERVED = ['<pad>', '<bos>', '<eos>'] as const;

/** The special ids of a seq2seq vocabulary. */
export interface SpecialIds {
  pad: number;
  bos: number;
  eos: number;
}

/** Source and target vocabularies of a translation model. */
export interface Seq2SeqVocabs {
  src: Vocab;
  tgt: Vocab;
}

/** A token line pair: space-separated source and target tokens. */
export type TokenPair = readonly [string, string];

/** Space-separated tokens as an array (runs of spaces ignored). */
export function splitTokens(line: string): string[] {
  return line.split(' ').filter((t) => t !== '');
}

/** Raw English (or synthetic) text as the model's source tokens: d2l's `preprocess_nmt`, then words. */
export function tokenizeSource(text: string): string[] {
  return splitTokens(preprocessNmt(text.trim()));
}

/** `<pad>`, `<bos>`, `<eos>` of a vocabulary (a CorpusError if one is missing). */
export function specialIds(vocab: Vocab): SpecialIds {
  const missing = SEQ2SEQ_RESERVED.filter((t) => !vocab.has(t));
  if (missing.length > 0) {
    throw new CorpusError(
      `the vocabulary lacks ${missing.join(', ')}; build it with buildSeq2SeqVocabs (reserved ${SEQ2SEQ_RESERVED.join(' ')}).`,
    );
  }
  return { pad: vocab.indexOf('<pad>'), bos: vocab.indexOf('<bos>'), eos: vocab.indexOf('<eos>') };
}

/** d2l's vocabularies of both sides: tokens seen at least `minFreq` times (default 2), reserved first. */
export function buildSeq2SeqVocabs(pairs: readonly TokenPair[], minFreq = 2): Seq2SeqVocabs {
  if (pairs.length === 0) throw new CorpusError('no training pairs to build vocabularies from.');
  const options = { minFreq, reserved: SEQ2SEQ_RESERVED };
  return {
    src: Vocab.build(
      pairs.map((p) => splitTokens(p[0])),
      options,
    ),
    tgt: Vocab.build(
      pairs.map((p) => splitTokens(p[1])),
      options,
    ),
  };
}

/** Token lines as a padded id matrix (row-major [N, numSteps]) with valid lengths. */
export interface NmtArray {
  ids: Int32Array;
  validLen: Int32Array;
  numSteps: number;
}

/** d2l's `build_array_nmt`: each line's ids + `<eos>`, truncated/padded; valid length = non-pad count. */
export function buildArrayNmt(
  lines: readonly (readonly string[])[],
  vocab: Vocab,
  numSteps: number,
): NmtArray {
  if (!(Number.isInteger(numSteps) && numSteps >= 1)) {
    throw new InvalidArgumentError(`numSteps must be an integer >= 1, received ${numSteps}.`);
  }
  const { pad, eos } = specialIds(vocab);
  const ids = new Int32Array(lines.length * numSteps);
  const validLen = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const row = truncatePad([...vocab.indicesOf(line), eos], numSteps, pad);
    ids.set(row, i * numSteps);
    validLen[i] = row.filter((id) => id !== pad).length;
  });
  return { ids, validLen, numSteps };
}

/** Both sides of a pair set as arrays, and the target's `<bos>` for decoder inputs. */
export interface Seq2SeqArrays {
  src: NmtArray;
  tgt: NmtArray;
  bos: number;
  size: number;
}

/** d2l's `load_data_nmt` arrays of some token pairs with given vocabularies. */
export function seq2seqArrays(
  pairs: readonly TokenPair[],
  vocabs: Seq2SeqVocabs,
  numSteps: number,
): Seq2SeqArrays {
  return {
    src: buildArrayNmt(
      pairs.map((p) => splitTokens(p[0])),
      vocabs.src,
      numSteps,
    ),
    tgt: buildArrayNmt(
      pairs.map((p) => splitTokens(p[1])),
      vocabs.tgt,
      numSteps,
    ),
    bos: specialIds(vocabs.tgt).bos,
    size: pairs.length,
  };
}

/** Rows `rows` of an [N, T] id matrix. */
function gatherRows(a: NmtArray, rows: ArrayLike<number>): { ids: Int32Array; len: Int32Array } {
  const t = a.numSteps;
  const ids = new Int32Array(rows.length * t);
  const len = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as number;
    ids.set(a.ids.subarray(r * t, (r + 1) * t), i * t);
    len[i] = a.validLen[r] as number;
  }
  return { ids, len };
}

/** d2l's decoder input: `<bos>` then each target row without its last id. */
export function shiftRight(tgt: Int32Array, numSteps: number, bos: number): Int32Array {
  const out = new Int32Array(tgt.length);
  for (let r = 0; r < tgt.length / numSteps; r++) {
    out[r * numSteps] = bos;
    out.set(tgt.subarray(r * numSteps, (r + 1) * numSteps - 1), r * numSteps + 1);
  }
  return out;
}

/** The teacher-forced batch of rows `rows`. */
export function seq2seqBatch(data: Seq2SeqArrays, rows: ArrayLike<number>): Seq2SeqBatch {
  const s = gatherRows(data.src, rows);
  const t = gatherRows(data.tgt, rows);
  const b = rows.length;
  return {
    src: tf.tensor2d(s.ids, [b, data.src.numSteps], 'int32'),
    srcValidLen: tf.tensor1d(s.len, 'int32'),
    tgtIn: tf.tensor2d(shiftRight(t.ids, data.tgt.numSteps, data.bos), [b, data.tgt.numSteps], 'int32'),
    tgtOut: tf.tensor2d(t.ids, [b, data.tgt.numSteps], 'int32'),
    tgtValidLen: tf.tensor1d(t.len, 'int32'),
  };
}

export interface Seq2SeqDataSourceOptions {
  batchSize: number;
  /** Reshuffle each epoch (seeded by fit's (seed, epoch) generator). Default false. */
  shuffle?: boolean;
}

/** Mini-batches of `Seq2SeqBatch` (the last one smaller), as d2l's `load_array`. */
export function seq2seqDataSource(
  data: Seq2SeqArrays,
  options: Seq2SeqDataSourceOptions,
): DataSource<Seq2SeqBatch> {
  const bs = options.batchSize;
  if (!(Number.isInteger(bs) && bs >= 1)) {
    throw new InvalidArgumentError(`batchSize must be an integer >= 1, received ${bs}.`);
  }
  if (data.size === 0) throw new CorpusError('no pairs to make batches of.');
  const length = Math.ceil(data.size / bs);
  return {
    length,
    *batches(_epoch: number, rng: Rng) {
      const order = options.shuffle ? rng.permutation(data.size) : null;
      for (let b = 0; b < length; b++) {
        const start = b * bs;
        const end = Math.min(start + bs, data.size);
        const rows = order
          ? order.subarray(start, end)
          : Array.from({ length: end - start }, (_, i) => start + i);
        yield seq2seqBatch(data, rows);
      }
    },
  };
}
