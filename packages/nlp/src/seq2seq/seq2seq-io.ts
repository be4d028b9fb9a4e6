/**
 * Saving and loading a translation model: its `Seq2SeqConfig`, both vocabularies (tokens and
 * fingerprints), the data settings (target language, `numSteps`) and every weight by the model's
 * stable names, as model.json + shards (dlpipe's `saveWeights`). `loadSeq2Seq` rebuilds the model
 * with `createSeq2Seq` and checks names and shapes before assigning anything.
 *
 *   await saveSeq2Seq('runs/gru/model', { model, vocabs, lang: 'fr', numSteps: 10 });
 *   const { model, vocabs, lang, numSteps } = await loadSeq2Seq('runs/gru/model');
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkInputDir } from '@dlpipe/core';
import { loadWeights, MODEL_JSON, saveWeights, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { ModelUseError, VocabError } from '../errors.js';
import { Vocab } from '../vocab/vocab.js';
import { createSeq2Seq, type Seq2SeqConfig, type Seq2SeqModel } from './encoder-decoder.js';
import type { Seq2SeqVocabs } from './seq2seq-data.js';
// The architectures register themselves with createSeq2Seq when imported.
import './bahdanau-seq2seq.js';
import './gru-seq2seq.js';
import '../transformer/index.js';

export const SEQ2SEQ_FORMAT = 'dlpipe-seq2seq-1';

/** A model with what it needs to translate. */
export interface SavedSeq2Seq {
  model: Seq2SeqModel;
  vocabs: Seq2SeqVocabs;
  /** Target language or synthetic task ('fr', 'zh', 'copy'): detokenization and BLEU. */
  lang: string;
  /** Steps sources were truncated/padded to in training. */
  numSteps: number;
}

const vocabSchema = z.object({ tokens: z.array(z.string()).min(4), fingerprint: z.string() });

const metaSchema = z.object({
  format: z.literal(SEQ2SEQ_FORMAT),
  config: z
    .object({
      arch: z.enum(['gru', 'bahdanau', 'transformer']),
      srcVocabSize: z.number().int().positive(),
      tgtVocabSize: z.number().int().positive(),
      embedSize: z.number().int().positive(),
      numHiddens: z.number().int().positive(),
      numLayers: z.number().int().positive(),
      dropout: z.number().min(0).max(1),
    })
    .loose(),
  src: vocabSchema,
  tgt: vocabSchema,
  lang: z.string().min(1),
  numSteps: z.number().int().positive(),
});

/** Writes the model into `dir` (created if missing). */
export async function saveSeq2Seq(dir: string, saved: SavedSeq2Seq): Promise<void> {
  const { model, vocabs } = saved;
  const c = model.config;
  if (vocabs.src.size !== c.srcVocabSize || vocabs.tgt.size !== c.tgtVocabSize) {
    throw new VocabError(
      `the vocabularies have ${vocabs.src.size}/${vocabs.tgt.size} tokens but the model ${c.srcVocabSize}/${c.tgtVocabSize}; save the vocabularies it was trained with.`,
    );
  }
  const vocab = (v: Vocab) => ({ tokens: [...v.tokens], fingerprint: v.fingerprint });
  await saveWeights(dir, model.namedWeights(), {
    format: SEQ2SEQ_FORMAT,
    config: c,
    src: vocab(vocabs.src),
    tgt: vocab(vocabs.tgt),
    lang: saved.lang,
    numSteps: saved.numSteps,
  });
}

function vocabOf(dir: string, side: string, v: z.output<typeof vocabSchema>): Vocab {
  const vocab = new Vocab(v.tokens);
  if (vocab.fingerprint !== v.fingerprint) {
    throw new VocabError(
      `${dir}: the saved ${side} vocabulary's fingerprint ${vocab.fingerprint} differs from ${v.fingerprint}; the file was altered.`,
    );
  }
  return vocab;
}

/** Checks names and shapes first (a mismatch changes nothing), then assigns. */
function assignWeights(model: Seq2SeqModel, weights: tf.NamedTensor[], dir: string): void {
  const targets = model.namedWeights();
  const saved = new Map(weights.map((w) => [w.name, w.tensor]));
  const names = Object.keys(targets);
  const bad = names.filter((n) => saved.get(n)?.shape.join() !== targets[n]?.shape.join());
  if (bad.length > 0 || saved.size !== names.length) {
    const list = bad
      .slice(0, 3)
      .map((n) => `${n} [${targets[n]?.shape}] vs [${saved.get(n)?.shape ?? 'missing'}]`);
    throw new ModelUseError(
      `${dir}: the saved weights do not fit a ${model.config.arch} model of its config (${saved.size} saved, ${names.length} expected${list.length ? `; ${list.join(', ')}` : ''}); the files were altered or mixed.`,
    );
  }
  for (const n of names) targets[n]?.assign(saved.get(n) as tf.Tensor);
}

/** Loads a model written by `saveSeq2Seq` (a run folder's `model/` is found too). */
export async function loadSeq2Seq(path: string): Promise<SavedSeq2Seq> {
  checkInputDir(path, 'model folder (--model)');
  const dir =
    !existsSync(join(path, MODEL_JSON)) && existsSync(join(path, 'model', MODEL_JSON))
      ? join(path, 'model')
      : path;
  if (!existsSync(join(dir, MODEL_JSON))) {
    throw new ModelUseError(
      `${path}: no ${MODEL_JSON} here or in model/; give a run folder of \`pnpm nlp seq2seq train\` (e.g. runs/seq2seq-gru).`,
    );
  }
  const { weights, metadata } = await loadWeights(dir);
  try {
    const r = metaSchema.safeParse(metadata);
    if (!r.success) {
      throw new ModelUseError(
        `${dir}: not a translation model saved by saveSeq2Seq (its metadata does not match); train one with \`pnpm nlp seq2seq train\`.`,
      );
    }
    const m = r.data;
    const vocabs = { src: vocabOf(dir, 'source', m.src), tgt: vocabOf(dir, 'target', m.tgt) };
    const config = m.config as Seq2SeqConfig;
    if (vocabs.src.size !== config.srcVocabSize || vocabs.tgt.size !== config.tgtVocabSize) {
      throw new VocabError(`${dir}: the saved vocabularies do not have the sizes of the model's config.`);
    }
    const model = createSeq2Seq(config);
    try {
      assignWeights(model, weights, dir);
    } catch (err) {
      model.dispose();
      throw err;
    }
    return { model, vocabs, lang: m.lang, numSteps: m.numSteps };
  } finally {
    tf.dispose(weights.map((w) => w.tensor));
  }
}
