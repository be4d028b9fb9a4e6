/**
 * d2l §10.7's `train_seq2seq` through dlpipe's `fit`: the pairs (en–fr, en–zh, a folder of pair
 * files, or the copy/reverse task), vocabularies of the training split (min frequency 2),
 * teacher forcing (decoder input `<bos>` + target shifted right), d2l's loss — masked softmax
 * cross-entropy averaged over each sequence's `numSteps` positions, *summed* over the batch
 * (`l.sum().backward()`) — Adam, gradient clipping by global norm 1, validation loss each epoch.
 * Writes under `runDir`: history.jsonl, checkpoints/ (`resume` continues from the latest),
 * vocab-src.json + vocab-tgt.json + run.json (what a resume must match), loss.png, metrics.json
 * and model/ (`loadSeq2Seq`).
 *
 *   const r = await trainSeq2Seq({ runDir: 'runs/s2s-gru', arch: 'gru', pairs: 'en-fr', epochs: 5 });
 *   r.metrics.loss;   // last epoch's mean batch loss
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, OptionsError, setSeed, zodMessage } from '@dlpipe/core';
import { plotTrainingCurves, writeFigure } from '@dlpipe/plot';
import {
  type Callback,
  fit,
  type HistoryRecord,
  type LossOutput,
  type TrainTask,
  type tf,
} from '@dlpipe/tensor';
import { z } from 'zod';
import { stepCurves } from '../history-curves.js';
import { Vocab } from '../vocab/vocab.js';
import {
  createSeq2Seq,
  type Seq2SeqBatch,
  type Seq2SeqConfig,
  type Seq2SeqModel,
} from './encoder-decoder.js';
import { maskedSoftmaxCELoss } from './masked-ce-loss.js';
import { buildSeq2SeqVocabs, type Seq2SeqVocabs, seq2seqArrays, seq2seqDataSource } from './seq2seq-data.js';
import { saveSeq2Seq } from './seq2seq-io.js';
import { loadSeq2SeqPairs, type Seq2SeqPairs } from './seq2seq-pairs.js';

/** A `Seq2SeqModel` as a `TrainTask`: teacher-forced decoding, d2l's summed masked CE loss. */
export class Seq2SeqTask implements TrainTask<Seq2SeqBatch> {
  constructor(readonly model: Seq2SeqModel) {}

  trainableVariables(): tf.Variable[] {
    return this.model.trainableVariables();
  }

  /** Every weight, in the order of the model's stable names (what checkpoints hold). */
  stateTensors(): tf.Variable[] {
    const named = this.model.namedWeights();
    return Object.keys(named)
      .sort()
      .map((k) => named[k] as tf.Variable);
  }

  batchSize(batch: Seq2SeqBatch): number {
    return batch.src.shape[0];
  }

  loss(batch: Seq2SeqBatch, ctx: { training: boolean }): LossOutput {
    const { model } = this;
    const encoded = model.encode(batch.src, batch.srcValidLen, ctx.training);
    const state = model.initState(encoded, batch.srcValidLen);
    const { logits } = model.decode(batch.tgtIn, state, ctx.training);
    return { loss: maskedSoftmaxCELoss(logits, batch.tgtOut, batch.tgtValidLen).sum() };
  }
}

export const trainSeq2SeqOptionsSchema = z.object({
  runDir: z.string().min(1),
  arch: z.enum(['gru', 'bahdanau', 'transformer']),
  pairs: z.string().min(1),
  pairsDir: z.string().min(1).optional(),
  epochs: z.number().int().positive().default(10),
  batchSize: z.number().int().positive().default(64),
  lr: z.number().positive().default(0.005),
  numSteps: z.number().int().positive().default(10),
  embedSize: z.number().int().positive().default(32),
  numHiddens: z.number().int().positive().default(32),
  numLayers: z.number().int().positive().default(2),
  dropout: z.number().min(0).max(1).default(0.1),
  numHeads: z.number().int().positive().default(4),
  ffnNumHiddens: z.number().int().positive().default(64),
  minFreq: z.number().int().positive().default(2),
  maxPairs: z.number().int().positive().optional(),
  clipNorm: z.number().positive().default(1),
  seed: z.number().int().default(42),
  resume: z.boolean().default(false),
  checkpointEvery: z.number().int().min(0).default(500),
  maxSteps: z.number().int().positive().optional(),
  progress: z.boolean().default(true),
  synthetic: z
    .object({
      numPairs: z.number().int().positive().optional(),
      vocabSize: z.number().int().positive().optional(),
      minLen: z.number().int().positive().optional(),
      maxLen: z.number().int().positive().optional(),
      seed: z.number().int().optional(),
    })
    .optional(),
});

/** Options of `trainSeq2Seq`; defaults are d2l §10.7's (and §11.7's for the Transformer). */
export type TrainSeq2SeqOptions = z.input<typeof trainSeq2SeqOptionsSchema>;

export interface Seq2SeqTrainMetrics {
  arch: string;
  lang: string;
  trainPairs: number;
  valPairs: number;
  srcVocab: number;
  tgtVocab: number;
  parameters: number;
  steps: number;
  epochs: number;
  seconds: number;
  /** Training seconds per epoch completed in this call (validation left out). */
  secondsPerEpoch: number | undefined;
  /** Last epoch's mean batch loss (summed over the batch) and validation loss. */
  loss: number | undefined;
  valLoss: number | undefined;
}

export interface TrainSeq2SeqResult {
  model: Seq2SeqModel;
  vocabs: Seq2SeqVocabs;
  pairs: Seq2SeqPairs;
  numSteps: number;
  metrics: Seq2SeqTrainMetrics;
  resumedFrom: string | undefined;
  files: string[];
}

/** The model's config from the options (Transformer extras only for the Transformer). */
function configOf(o: z.output<typeof trainSeq2SeqOptionsSchema>, vocabs: Seq2SeqVocabs): Seq2SeqConfig {
  return {
    arch: o.arch,
    srcVocabSize: vocabs.src.size,
    tgtVocabSize: vocabs.tgt.size,
    embedSize: o.arch === 'transformer' ? o.numHiddens : o.embedSize,
    numHiddens: o.numHiddens,
    numLayers: o.numLayers,
    dropout: o.dropout,
    ...(o.arch === 'transformer' ? { numHeads: o.numHeads, ffnNumHiddens: o.ffnNumHiddens } : {}),
  };
}

interface RunFile {
  config: Seq2SeqConfig;
  lang: string;
  numSteps: number;
  pairs: string;
}

/** Vocabularies and config: new ones saved in runDir, or on resume the saved ones (flags must agree). */
function runSetup(
  o: z.output<typeof trainSeq2SeqOptionsSchema>,
  pairs: Seq2SeqPairs,
): { vocabs: Seq2SeqVocabs; config: Seq2SeqConfig } {
  const runFile = join(o.runDir, 'run.json');
  const files = { src: join(o.runDir, 'vocab-src.json'), tgt: join(o.runDir, 'vocab-tgt.json') };
  if (o.resume && existsSync(runFile)) {
    const saved = JSON.parse(readFileSync(runFile, 'utf8')) as RunFile;
    const vocabs = { src: Vocab.load(files.src), tgt: Vocab.load(files.tgt) };
    const wanted: RunFile = {
      config: configOf(o, vocabs),
      lang: pairs.lang,
      numSteps: o.numSteps,
      pairs: o.pairs,
    };
    const differ = (Object.keys(wanted) as (keyof RunFile)[]).filter(
      (k) => JSON.stringify(wanted[k]) !== JSON.stringify(saved[k]),
    );
    if (differ.length > 0) {
      throw new OptionsError(
        `--resume: ${o.runDir} was trained with other settings (${differ.map((k) => `${k} ${JSON.stringify(saved[k])}`).join('; ')}); give the same flags, or another --out.`,
      );
    }
    return { vocabs, config: saved.config };
  }
  const train = o.maxPairs ? pairs.train.slice(0, o.maxPairs) : pairs.train;
  const vocabs = buildSeq2SeqVocabs(train, o.minFreq);
  const config = configOf(o, vocabs);
  vocabs.src.save(files.src);
  vocabs.tgt.save(files.tgt);
  const run: RunFile = { config, lang: pairs.lang, numSteps: o.numSteps, pairs: o.pairs };
  writeFileSync(runFile, JSON.stringify(run, null, 2));
  return { vocabs, config };
}

const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** Training seconds of each full epoch (first step's start to last step's end; validation left out). */
export class EpochTimer implements Callback {
  readonly seconds: number[] = [];
  private start = 0;
  private lastStep = 0;

  onEpochBegin(): void {
    this.start = performance.now();
  }

  onStepEnd(): void {
    this.lastStep = performance.now();
  }

  onEpochEnd(): void {
    this.seconds.push((this.lastStep - this.start) / 1000);
  }

  /** Mean seconds per epoch, undefined before one ends. */
  get mean(): number | undefined {
    return this.seconds.length ? this.seconds.reduce((a, b) => a + b, 0) / this.seconds.length : undefined;
  }
}

/** Writes loss.png (+ .svg) of the step losses; none when training made no step record. */
function lossCurve(history: readonly HistoryRecord[], runDir: string, title: string): string[] {
  const steps = stepCurves(history).map((r) => ({ step: r.step as number, loss: r.loss as number }));
  if (steps.length === 0) return [];
  return writeFigure(plotTrainingCurves(steps, { x: 'step', title }), join(runDir, 'loss'));
}

/** Trains and saves a translation model; see the file header. */
export async function trainSeq2Seq(options: TrainSeq2SeqOptions): Promise<TrainSeq2SeqResult> {
  const r = trainSeq2SeqOptionsSchema.safeParse(options);
  if (!r.success) throw new OptionsError(zodMessage('trainSeq2Seq options', r.error));
  const o = r.data;
  const pairs = loadSeq2SeqPairs({ pairs: o.pairs, pairsDir: o.pairsDir, synthetic: o.synthetic });
  ensureDir(o.runDir, 'run folder (--out)');
  const { vocabs, config } = runSetup(o, pairs);
  const train = o.maxPairs ? pairs.train.slice(0, o.maxPairs) : pairs.train;
  setSeed(o.seed); // the initial weights (fit seeds again, for dropout and the data order)
  const model = createSeq2Seq(config);
  const task = new Seq2SeqTask(model);
  const trainData = seq2seqDataSource(seq2seqArrays(train, vocabs, o.numSteps), {
    batchSize: o.batchSize,
    shuffle: true,
  });
  const val =
    pairs.val.length > 0
      ? seq2seqDataSource(seq2seqArrays(pairs.val, vocabs, o.numSteps), { batchSize: o.batchSize })
      : undefined;
  const timer = new EpochTimer();
  const result = await fit(task, trainData, {
    callbacks: [timer],
    epochs: o.epochs,
    optimizer: { name: 'adam', lr: o.lr },
    clipNorm: o.clipNorm,
    validation: val,
    runDir: o.runDir,
    resume: o.resume,
    seed: o.seed,
    maxSteps: o.maxSteps,
    checkpointEvery: o.checkpointEvery,
    logEvery: (trainData.length ?? 0) < 50 ? 1 : 10, // a curve even for tiny runs
    progress: o.progress ? { label: `${o.arch} ${pairs.lang}` } : false,
  });
  const figs = lossCurve(result.history, o.runDir, `${o.arch} seq2seq, ${o.pairs}: training loss`);
  await saveSeq2Seq(join(o.runDir, 'model'), { model, vocabs, lang: pairs.lang, numSteps: o.numSteps });
  const epochs = result.history.filter((h) => h.kind === 'epoch');
  const last = epochs.at(-1);
  const metrics: Seq2SeqTrainMetrics = {
    arch: o.arch,
    lang: pairs.lang,
    trainPairs: train.length,
    valPairs: pairs.val.length,
    srcVocab: vocabs.src.size,
    tgtVocab: vocabs.tgt.size,
    parameters: task.trainableVariables().reduce((n, v) => n + v.size, 0),
    steps: result.steps,
    epochs: result.epochs,
    seconds: result.seconds,
    secondsPerEpoch: timer.mean,
    loss: num(last?.loss),
    valLoss: num(last?.val_loss),
  };
  const file = join(o.runDir, 'metrics.json');
  writeFileSync(file, JSON.stringify({ train: metrics, history: epochs }, null, 2));
  return {
    model,
    vocabs,
    pairs,
    numSteps: o.numSteps,
    metrics,
    resumedFrom: result.resumedFrom,
    files: [file, join(o.runDir, 'history.jsonl'), ...figs, join(o.runDir, 'model/')],
  };
}
