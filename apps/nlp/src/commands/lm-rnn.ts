/**
 * The RNN side of `pnpm nlp lm` (`--model gru|lstm|rnn`): its flags, and the calls into
 * @dlpipe/nlp's `trainCharLM` (d2l's char-level LM on Moby-Dick) and `loadRNNLM` + `generateChars`
 * (sampled at --temperature among the --top-k likeliest characters, seeded by --seed; greedy at 0).
 *
 *   pnpm nlp lm train --model gru --num-hiddens 256 --epochs 1 && pnpm nlp lm generate --model gru --prefix "the whale"
 */
import { join } from 'node:path';
import { Rng } from '@dlpipe/core';
import { ENCODER_IMPLS, generateChars, loadRNNLM, type RNNLM, trainCharLM, type Vocab } from '@dlpipe/nlp';
import { z } from 'zod';

/** Flags only the RNN models read (the n-gram model ignores them). */
export const rnnFlags = {
  impl: z.enum(ENCODER_IMPLS).default('layers').meta({ description: 'RNN: tfjs layers or scratch (tf ops)' }),
  numHiddens: z.coerce.number().int().positive().default(256).meta({ description: 'RNN: hidden units' }),
  numLayers: z.coerce.number().int().positive().default(1).meta({ description: 'RNN: stacked layers' }),
  bidirectional: z
    .boolean()
    .default(false)
    .meta({ description: 'RNN: bidirectional (trains, cannot generate)' }),
  epochs: z.coerce.number().int().positive().default(1).meta({ description: 'RNN: passes over the text' }),
  batchSize: z.coerce.number().int().positive().default(32).meta({ description: 'RNN: sequences per batch' }),
  numSteps: z.coerce
    .number()
    .int()
    .positive()
    .default(35)
    .meta({ description: 'RNN: characters per sequence' }),
  sampling: z.enum(['sequential', 'random']).default('sequential').meta({
    description: 'RNN: sequential batches carry the state (d2l train_ch8); random start from zeros',
  }),
  optimizer: z.enum(['adam', 'sgd']).default('adam').meta({ description: 'RNN: the optimizer' }),
  lr: z.coerce.number().positive().default(0.005).meta({ description: 'RNN: learning rate' }),
  clipNorm: z.coerce.number().positive().default(1).meta({ description: 'RNN: clip gradients to this norm' }),
  maxChars: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: 'RNN: only the first N characters' }),
  maxSteps: z.coerce.number().int().positive().optional().meta({ description: 'RNN: stop after N steps' }),
  resume: z.boolean().default(false).meta({ description: "RNN: continue from the run's latest checkpoint" }),
  numPreds: z.coerce.number().int().min(0).default(50).meta({ description: 'RNN: characters to generate' }),
  temperature: z.coerce.number().min(0).default(1).meta({
    placeholder: 'T',
    description: "RNN: sampling temperature (0: greedy, d2l's predict_ch8, which loops on small models)",
  }),
  topK: z.coerce.number().int().min(0).default(0).meta({
    placeholder: 'K',
    description: 'RNN: sample among the K likeliest characters (0: all; 1: greedy)',
  }),
  deterministic: z.boolean().default(false).meta({
    description:
      'RNN train: one native thread, so that two runs with the same --seed give bit-identical losses',
  }),
};
type RnnValues = z.output<z.ZodObject<typeof rnnFlags>> & {
  model: 'rnn' | 'gru' | 'lstm';
  prefix: string;
  seed: number;
  out: string;
};

export interface LmOutput {
  lines: string[];
  data: unknown;
}

const ppl = (v: number | undefined) => (v === undefined ? 'n/a (stopped mid-epoch)' : v.toFixed(2));

/** `--num-preds` characters after `--prefix`, sampled as the flags say. */
function generate(lm: RNNLM, vocab: Vocab, o: RnnValues): string {
  const sampling = { temperature: o.temperature, topK: o.topK, rng: new Rng(o.seed) };
  return generateChars(lm, vocab, o.prefix, o.numPreds, sampling);
}

export async function trainRnnLM(o: RnnValues): Promise<LmOutput> {
  const r = await trainCharLM({ ...o, kind: o.model, runDir: o.out }); // a resume says so on stderr
  const sample = o.bidirectional ? undefined : generate(r.lm, r.vocab, o);
  const m = r.metrics;
  return {
    lines: [
      `${o.model} (${o.impl}): perplexity ${ppl(m.perplexity)}, held-out ${ppl(m.valPerplexity)}`,
      ...(sample === undefined ? [] : [sample]),
      `wrote ${r.files.join(', ')}`,
    ],
    data: { ...m, sample, files: r.files },
  };
}

export async function generateRnnLM(o: RnnValues): Promise<LmOutput> {
  const { lm, vocab } = await loadRNNLM(join(o.out, 'model'));
  const text = generate(lm, vocab, o);
  return { lines: [text], data: { text } };
}
