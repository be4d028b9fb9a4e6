/**
 * d2l §9.5's char-level RNN language model trained end to end: the text as d2l preprocesses the
 * Time Machine (letters and single spaces, lowercase; Moby-Dick by default), a char vocab, the
 * last 5% held out, an `RNNLM` (RNN, GRU or LSTM) fitted with gradient clipping and perplexity per
 * epoch, then curves.png, metrics.json, history.jsonl and model/ under `runDir`. Sequential
 * batches carry the hidden state from batch to batch, as d2l's `train_ch8` defaults to.
 *
 *   const r = await trainCharLM({ kind: 'gru', numHiddens: 256, runDir: 'runs/lm-gru' });
 *   generateChars(r.lm, r.vocab, 'call me', 50);   // greedy: 'call me the whale …'
 *   generateChars(r.lm, r.vocab, 'call me', 50, { temperature: 1, topK: 5, rng: new Rng(42) });
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionsError, setSeed, zodMessage } from '@dlpipe/core';
import { plotTrainingCurves, writeFigure } from '@dlpipe/plot';
import { fit } from '@dlpipe/tensor';
import { z } from 'zod';
import { lettersOnly, mobyDick } from '../corpus/corpora.js';
import { stepCurves } from '../history-curves.js';
import { Vocab } from '../vocab/vocab.js';
import { CELL_KINDS, type CellKind } from './cells.js';
import { ENCODER_IMPLS, type EncoderImpl } from './encoder.js';
import { lmDataSource } from './lm-data.js';
import { saveRNNLM } from './lm-io.js';
import { TokenPerplexity } from './perplexity-metric.js';
import { type PredictOptions, RNNLM } from './rnn-lm.js';

export interface TrainCharLMOptions {
  /** Where history.jsonl, checkpoints/, curves.png, metrics.json and model/ go. */
  runDir: string;
  /** 'rnn', 'gru' or 'lstm'. */
  kind: CellKind;
  /** Default 'layers'. */
  impl?: EncoderImpl;
  /** Default 256. */
  numHiddens?: number;
  /** Default 1. */
  numLayers?: number;
  /** Default false (a bidirectional LM trains but cannot generate). */
  bidirectional?: boolean;
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Default 35. */
  numSteps?: number;
  /** Training batches: 'sequential' (state carried, default) or 'random' (each from zeros). */
  sampling?: 'sequential' | 'random';
  /** Default 'adam'. */
  optimizer?: 'adam' | 'sgd';
  /** Default 0.005. */
  lr?: number;
  /** Gradient clipping by global norm. Default 1. */
  clipNorm?: number;
  /** Only the first N characters of the text. Default: all. */
  maxChars?: number | undefined;
  /** Stop after N optimizer steps. Default: no limit. */
  maxSteps?: number | undefined;
  /** Continue from runDir's latest checkpoint. Default false. */
  resume?: boolean;
  /** Default 42. */
  seed?: number;
  /** Checkpoint every N steps. Default 200. */
  checkpointEvery?: number;
  /** The raw text. Default: Moby-Dick. */
  text?: string;
  /** Progress bar on stderr. Default true. */
  progress?: boolean;
}

export const trainCharLMOptionsSchema = z.object({
  runDir: z.string().min(1),
  kind: z.enum(CELL_KINDS),
  impl: z.enum(ENCODER_IMPLS).default('layers'),
  numHiddens: z.number().int().positive().default(256),
  numLayers: z.number().int().positive().default(1),
  bidirectional: z.boolean().default(false),
  epochs: z.number().int().positive().default(1),
  batchSize: z.number().int().positive().default(32),
  numSteps: z.number().int().positive().default(35),
  sampling: z.enum(['sequential', 'random']).default('sequential'),
  optimizer: z.enum(['adam', 'sgd']).default('adam'),
  lr: z.number().positive().default(0.005),
  clipNorm: z.number().positive().default(1),
  maxChars: z.number().int().positive().optional(),
  maxSteps: z.number().int().positive().optional(),
  resume: z.boolean().default(false),
  seed: z.number().int().default(42),
  checkpointEvery: z.number().int().min(0).default(200),
  text: z.string().optional(),
  progress: z.boolean().default(true),
});

export interface CharLMMetrics {
  model: CellKind;
  impl: EncoderImpl;
  numHiddens: number;
  numLayers: number;
  bidirectional: boolean;
  sampling: 'sequential' | 'random';
  chars: number;
  vocab: number;
  steps: number;
  seconds: number;
  /** Of the last full epoch; undefined when training stopped mid-epoch. */
  perplexity: number | undefined;
  valPerplexity: number | undefined;
}

export interface TrainCharLMResult {
  lm: RNNLM;
  vocab: Vocab;
  metrics: CharLMMetrics;
  /** The checkpoint training resumed from, if any. */
  resumedFrom: string | undefined;
  files: string[];
}

/** Text as d2l preprocesses the Time Machine: letters and single spaces, lowercase, as characters. */
export function charCorpus(text: string, maxChars?: number): string[] {
  const clean = lettersOnly(text.replace(/\s+/g, ' '));
  return Array.from(maxChars ? clean.slice(0, maxChars) : clean);
}

/**
 * d2l's `predict_ch8` on characters: the prefix (cleaned as the corpus) and `numPreds` more,
 * greedy unless `options` give a temperature (and top-k) to sample with.
 */
export function generateChars(
  lm: RNNLM,
  vocab: Vocab,
  prefix: string,
  numPreds: number,
  options: PredictOptions = {},
): string {
  const start = vocab.indicesOf(Array.from(lettersOnly(prefix) || ' '));
  return vocab.tokensOf(lm.predict(start, numPreds, options)).join('');
}

const number = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** Trains and saves a char-level LM; see the file header. */
export async function trainCharLM(options: TrainCharLMOptions): Promise<TrainCharLMResult> {
  const r = trainCharLMOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('trainCharLM options', r.error));
  const o = r.data;
  const chars = charCorpus(o.text ?? mobyDick(), o.maxChars);
  const vocab = Vocab.build(chars);
  const ids = vocab.indicesOf(chars);
  const cut = Math.floor(ids.length * 0.95);
  setSeed(o.seed); // the initial weights (fit seeds again, for dropout and the data order)
  const lm = new RNNLM({
    vocabSize: vocab.size,
    kind: o.kind,
    numHiddens: o.numHiddens,
    numLayers: o.numLayers,
    bidirectional: o.bidirectional,
    impl: o.impl,
  });
  const data = { batchSize: o.batchSize, numSteps: o.numSteps };
  const result = await fit(lm, lmDataSource(ids.slice(0, cut), { ...data, sampling: o.sampling }), {
    epochs: o.epochs,
    optimizer: { name: o.optimizer, lr: o.lr },
    clipNorm: o.clipNorm,
    metrics: [new TokenPerplexity()],
    validation: lmDataSource(ids.slice(cut), { ...data, sampling: 'sequential' }),
    runDir: o.runDir,
    resume: o.resume,
    seed: o.seed,
    maxSteps: o.maxSteps,
    checkpointEvery: o.checkpointEvery,
    progress: o.progress,
  });
  const steps = stepCurves(result.history);
  const figs =
    steps.length > 0
      ? writeFigure(
          plotTrainingCurves(steps, {
            x: 'step',
            title: `char ${o.kind.toUpperCase()} LM${o.text === undefined ? ' on Moby-Dick' : ''}`,
          }),
          join(o.runDir, 'curves.png'),
        )
      : [];
  await saveRNNLM(lm, vocab, join(o.runDir, 'model'));
  const epochs = result.history.filter((h) => h.kind === 'epoch');
  const last = epochs.at(-1);
  const metrics: CharLMMetrics = {
    model: o.kind,
    impl: o.impl,
    numHiddens: o.numHiddens,
    numLayers: o.numLayers,
    bidirectional: o.bidirectional,
    sampling: o.sampling,
    chars: chars.length,
    vocab: vocab.size,
    steps: result.steps,
    seconds: result.seconds,
    perplexity: number(last?.perplexity),
    valPerplexity: number(last?.val_perplexity),
  };
  const file = join(o.runDir, 'metrics.json');
  writeFileSync(file, JSON.stringify({ ...metrics, history: epochs }, null, 2));
  return {
    lm,
    vocab,
    metrics,
    resumedFrom: result.resumedFrom,
    files: [file, join(o.runDir, 'history.jsonl'), ...figs, join(o.runDir, 'model/')],
  };
}
