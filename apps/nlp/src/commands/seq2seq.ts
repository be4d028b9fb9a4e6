/**
 * `pnpm nlp seq2seq train|eval`: d2l's translation models (§10.7 GRU encoder–decoder, §11.4
 * Bahdanau attention, §11.7 Transformer) trained on en–fr / en–zh gettext pairs, a folder of pair
 * files or the copy/reverse task (@dlpipe/nlp's `trainSeq2Seq`), and scored on the test split or
 * a pair of text files with sacreBLEU-compatible corpus BLEU, greedy and beam (`evaluateSeq2Seq`).
 *
 *   pnpm nlp seq2seq train --arch bahdanau --pairs en-fr --epochs 5 --out runs/s2s-bahdanau
 *   pnpm nlp seq2seq eval --model runs/s2s-bahdanau --beam 4
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand, ensureDir, OptionsError } from '@dlpipe/core';
import {
  BLEU_TOKENIZER_NAMES,
  checkPairsSpec,
  evaluateSeq2Seq,
  loadSeq2Seq,
  loadSeq2SeqPairs,
  readParallelText,
  type Seq2SeqEvalResult,
  testSetOfPairs,
  testSetOfText,
  trainSeq2Seq,
  writeSeq2SeqEval,
} from '@dlpipe/nlp';
import { initBackend } from '@dlpipe/tensor';
import { z } from 'zod';

const int = (d: number, description: string) =>
  z.coerce.number().int().positive().default(d).meta({ placeholder: 'N', description });

const trainFlags = {
  arch: z.enum(['gru', 'bahdanau', 'transformer']).default('gru').meta({
    description: 'train: GRU encoder–decoder (d2l §10.7), Bahdanau attention (§11.4) or Transformer (§11.7)',
  }),
  pairs: z.string().min(1).default('en-fr').meta({
    placeholder: 'NAME|DIR',
    description:
      'train: en-fr, en-zh (runs/pairs, built when missing), copy, reverse, or a folder of pair files from pnpm nlp pairs build',
  }),
  epochs: int(10, 'train: passes over the training pairs'),
  batch: int(64, 'train: pairs per batch'),
  lr: z.coerce
    .number()
    .positive()
    .default(0.005)
    .meta({ placeholder: 'LR', description: 'train: Adam learning rate' }),
  numSteps: int(10, 'train: tokens per sequence (longer ones are cut, shorter padded)'),
  embed: int(32, 'train: embedding width (the Transformer uses --hiddens)'),
  hiddens: int(32, 'train: hidden units'),
  layers: int(2, 'train: stacked layers (GRU layers or Transformer blocks)'),
  dropout: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.1)
    .meta({ placeholder: 'P', description: 'train: dropout' }),
  heads: int(4, 'train: Transformer attention heads'),
  ffnHiddens: int(64, 'train: Transformer position-wise FFN width'),
  minFreq: int(2, 'train: tokens seen fewer times are <unk>'),
  maxPairs: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({ placeholder: 'N', description: 'train: only the first N training pairs' }),
  maxSteps: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({ placeholder: 'N', description: 'train: stop after N optimizer steps' }),
  seed: z.coerce
    .number()
    .int()
    .default(42)
    .meta({ description: 'train: seed of the weights and data order' }),
  resume: z
    .boolean()
    .default(false)
    .meta({ description: "train: continue from the run's latest checkpoint" }),
  out: z.string().min(1).optional().meta({
    placeholder: 'DIR',
    description: 'train: the run folder to write (default runs/seq2seq-<arch>)',
  }),
};

const evalFlags = {
  model: z.string().min(1).optional().meta({
    placeholder: 'DIR',
    description: 'eval: a run folder of seq2seq train (required for eval)',
  }),
  beam: z.coerce.number().int().min(0).default(4).meta({
    placeholder: 'N',
    description: 'eval: beam size of the beam-search score (0 or 1: greedy only)',
  }),
  alpha: z.coerce.number().min(0).default(0.75).meta({
    placeholder: 'A',
    description: "eval: beam search's length-penalty exponent (GNMT)",
  }),
  src: z.string().min(1).optional().meta({
    placeholder: 'FILE',
    description: 'eval: English source text, one sentence a line (with --ref; default: the test split)',
  }),
  ref: z.string().min(1).optional().meta({
    placeholder: 'FILE',
    description: 'eval: reference translations text, one a line, parallel to --src',
  }),
  tokenize: z.enum(BLEU_TOKENIZER_NAMES).optional().meta({
    description: "eval: sacreBLEU's tokenizer (default 13a; zh for Chinese)",
  }),
  limit: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({ placeholder: 'N', description: 'eval: only the first N test sentences' }),
};

type Values = z.output<z.ZodObject<typeof trainFlags & typeof evalFlags>>;

/** Flags of the other action are an error (a typo there should not be ignored). */
function rejectOther(o: Values, action: 'train' | 'eval'): void {
  const evalOnly = ['model', 'src', 'ref', 'tokenize', 'limit'] as const;
  const given = action === 'train' ? evalOnly.filter((k) => o[k] !== undefined) : [];
  const flags: string[] = given.map((k) => `--${k}`);
  if (action === 'eval' && o.out !== undefined) flags.push('--out');
  if (flags.length > 0) {
    const flag = flags.join(', ');
    throw new OptionsError(
      `${flag}: not read by seq2seq ${action} (${action === 'train' ? 'eval reads it' : 'train reads it'}); drop it.`,
    );
  }
}

async function train(o: Values) {
  const out = o.out ?? `runs/seq2seq-${o.arch}`;
  checkPairsSpec(o.pairs);
  ensureDir(out, 'run folder (--out)');
  await initBackend();
  const r = await trainSeq2Seq({
    runDir: out,
    arch: o.arch,
    pairs: o.pairs,
    epochs: o.epochs,
    batchSize: o.batch,
    lr: o.lr,
    numSteps: o.numSteps,
    embedSize: o.embed,
    numHiddens: o.hiddens,
    numLayers: o.layers,
    dropout: o.dropout,
    numHeads: o.heads,
    ffnNumHiddens: o.ffnHiddens,
    minFreq: o.minFreq,
    maxPairs: o.maxPairs,
    maxSteps: o.maxSteps,
    seed: o.seed,
    resume: o.resume,
    progress: !process.env.DLPIPE_QUIET,
  });
  r.model.dispose();
  const m = r.metrics;
  const f = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(3));
  return {
    lines: [
      `${m.arch} on ${o.pairs}: ${m.trainPairs} pairs, vocab ${m.srcVocab}/${m.tgtVocab}, ${m.parameters} parameters`,
      `${m.epochs} epochs, ${m.steps} steps, ${f(m.secondsPerEpoch)} s/epoch; loss ${f(m.loss)}, val loss ${f(m.valLoss)}`,
      `wrote ${r.files.join(', ')}`,
      `next: pnpm nlp seq2seq eval --model ${out}`,
    ],
    data: { ...m, files: r.files },
  };
}

function scoreLines(r: Seq2SeqEvalResult): string[] {
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const lines = [`greedy: ${r.greedy.line}, exact ${pct(r.greedy.exactMatch)}`];
  if (r.beam) lines.push(`beam ${r.beam.beamSize}: ${r.beam.line}, exact ${pct(r.beam.exactMatch)}`);
  return [...lines, `signature: ${r.greedy.signature}`];
}

async function evaluate(o: Values) {
  if (o.model === undefined) throw new OptionsError('--model: seq2seq eval needs the run folder to score.');
  if ((o.src === undefined) !== (o.ref === undefined)) {
    throw new OptionsError(
      `${o.src ? '--ref' : '--src'}: give --src and --ref together (a custom test set).`,
    );
  }
  await initBackend();
  const custom = o.src && o.ref ? readParallelText(o.src, o.ref) : undefined;
  const saved = await loadSeq2Seq(o.model);
  try {
    const set = custom
      ? testSetOfText(custom.src, custom.ref)
      : testSetOfPairs(loadSeq2SeqPairs({ pairs: pairsOfRun(o.model, saved.lang) }).test, saved.lang);
    const r = evaluateSeq2Seq(saved, set, {
      beam: o.beam,
      alpha: o.alpha,
      tokenize: o.tokenize,
      limit: o.limit,
    });
    const file = writeSeq2SeqEval(o.model, r);
    return {
      lines: [
        `${saved.model.config.arch} on ${r.sentences} ${custom ? 'sentences' : 'test pairs'}:`,
        ...scoreLines(r),
        `wrote ${file}`,
      ],
      data: { ...r, file },
    };
  } finally {
    saved.model.dispose();
  }
}

/** The pairs a run was trained on (its run.json), for the test split. */
function pairsOfRun(model: string, lang: string): string {
  try {
    const run = JSON.parse(readFileSync(join(model, 'run.json'), 'utf8')) as { pairs?: string };
    if (run.pairs) return run.pairs;
  } catch {
    // a model folder outside a run: fall back to the language's named pairs
  }
  if (lang === 'fr' || lang === 'zh') return `en-${lang}`;
  if (lang === 'copy' || lang === 'reverse') return lang;
  throw new OptionsError(
    `--model ${model}: no run.json saying which pairs it was trained on; give a test set with --src and --ref.`,
  );
}

export const seq2seq = defineCommand({
  summary: 'train a translation model (GRU, Bahdanau, Transformer) or score one with BLEU',
  description: `train: d2l's seq2seq training (teacher forcing, masked softmax cross-entropy summed
over the batch, Adam, gradient clipping 1) on --pairs; writes --out/history.jsonl, checkpoints/
(--resume continues), loss.png, metrics.json, run.json, vocab-*.json and model/.
eval: translates the test split of the run's pairs (or --src/--ref) greedily and with a --beam
beam search and writes corpus BLEU (sacreBLEU 13a; zh for Chinese) and exact match into
--model/metrics.json.`,
  args: { action: z.enum(['train', 'eval']).describe('train a model (train) or score one (eval)') },
  flags: { ...trainFlags, ...evalFlags },
  examples: [
    'pnpm nlp seq2seq train --arch gru --pairs en-fr --epochs 5',
    'pnpm nlp seq2seq train --arch transformer --pairs copy --epochs 20 --out runs/copy-tf',
    'pnpm nlp seq2seq eval --model runs/seq2seq-gru --beam 4',
  ],
  json: true,
  async run(o) {
    rejectOther(o, o.action);
    return o.action === 'train' ? train(o) : evaluate(o);
  },
});
