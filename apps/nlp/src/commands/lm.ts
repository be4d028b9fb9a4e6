/**
 * `pnpm nlp lm train --model ngram [--n 3] [--smoothing kneser-ney|add-k] [--corpus moby-dick]`
 * (held-out perplexity, runs/lm-ngram/metrics.json) and `pnpm nlp lm generate --prefix "the whale"`;
 * `--model gru|lstm|rnn` trains d2l's char-level RNN LM (see lm-rnn.ts).
 *
 *   pnpm nlp lm train --model ngram --n 3 && pnpm nlp lm generate --prefix "call me"
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand, ensureDir, Rng } from '@dlpipe/core';
import { NgramLM } from '@dlpipe/nlp';
import { initBackend } from '@dlpipe/tensor';
import { z } from 'zod';
import { CORPORA, type CorpusName, corpusSentences } from '../corpus-tokens.js';
import { generateRnnLM, type LmOutput, rnnFlags, trainRnnLM } from './lm-rnn.js';

const flags = {
  model: z
    .enum(['ngram', 'rnn', 'gru', 'lstm'])
    .default('ngram')
    .meta({ description: 'an n-gram model, or a char-level RNN/GRU/LSTM on Moby-Dick' }),
  corpus: z.enum(CORPORA).default('moby-dick').meta({ description: 'n-gram: the corpus' }),
  level: z.enum(['word', 'char']).default('word').meta({ description: 'n-gram: words or characters' }),
  n: z.coerce.number().int().min(1).max(3).default(3).meta({ description: 'n-gram: the order (1-3)' }),
  smoothing: z.enum(['add-k', 'kneser-ney']).default('kneser-ney').meta({ description: 'n-gram: smoothing' }),
  k: z.coerce.number().positive().default(1).meta({ description: 'n-gram: add-k smoothing constant' }),
  ...rnnFlags,
  prefix: z.string().optional().meta({
    placeholder: 'TEXT',
    description: "generate: the start (default: none for n-gram, 'call me' for RNN)",
  }),
  seed: z.coerce.number().int().default(42).meta({ description: 'seed of sampling and training' }),
  out: z.string().optional().meta({ placeholder: 'DIR', description: 'the run (default: runs/lm-<model>)' }),
};

interface NgramValues {
  action: 'train' | 'generate';
  corpus: CorpusName;
  level: 'word' | 'char';
  n: number;
  smoothing: 'add-k' | 'kneser-ney';
  k: number;
  prefix: string;
  seed: number;
  out: string;
}

function ngram(o: NgramValues): LmOutput {
  const sentences = corpusSentences(o.corpus, o.level);
  const cut = Math.floor(sentences.length * 0.9);
  const lm = NgramLM.train(sentences.slice(0, cut), { n: o.n, smoothing: o.smoothing, k: o.k });
  const test = sentences.slice(cut);
  if (o.action === 'generate') {
    const prefix = o.level === 'char' ? Array.from(o.prefix) : o.prefix.split(/\s+/).filter((w) => w !== '');
    const text = lm.sample(new Rng(o.seed), { prefix, maxLength: 40 }).join(o.level === 'char' ? '' : ' ');
    return { lines: [text], data: { text } };
  }
  const metrics = {
    model: `ngram-${o.n}`,
    smoothing: o.smoothing,
    corpus: o.corpus,
    level: o.level,
    vocab: lm.vocab.length,
    testSentences: test.length,
    testPerplexity: lm.perplexity(test),
  };
  const file = join(o.out, 'metrics.json');
  ensureDir(o.out, 'run folder');
  writeFileSync(file, JSON.stringify(metrics, null, 2));
  return {
    lines: [
      `${metrics.model} ${o.smoothing} on ${o.corpus}: held-out perplexity ${metrics.testPerplexity.toFixed(2)} (vocab ${metrics.vocab})`,
      `wrote ${file}`,
    ],
    data: { ...metrics, files: [file] },
  };
}

export const lm = defineCommand({
  summary: 'train or sample an n-gram or RNN/GRU/LSTM language model',
  description: `train: an n-gram model (held-out perplexity, metrics.json), or d2l's char-level RNN
language model on Moby-Dick (fit with gradient clipping, perplexity per epoch, history.jsonl,
checkpoints, curves.png, model/); generate: text from a trained one, sampled at --temperature
among the --top-k likeliest characters and seeded by --seed (--temperature 0: greedy, as d2l's
predict_ch8). Flags marked n-gram or RNN apply to those models only.`,
  args: { action: z.enum(['train', 'generate']).describe('train a model, or generate text with one') },
  flags,
  examples: [
    'pnpm nlp lm train --model ngram --n 3 && pnpm nlp lm generate --prefix "call me"',
    'pnpm nlp lm train --model gru --epochs 1 && pnpm nlp lm generate --model gru --prefix "the whale"',
    'pnpm nlp lm generate --model gru --prefix "the whale" --temperature 0.8 --top-k 5 --seed 7',
  ],
  json: true,
  async run(o) {
    const out = o.out ?? `runs/lm-${o.model}`;
    if (o.action === 'train') ensureDir(out, 'run folder');
    if (o.model === 'ngram') return ngram({ ...o, out, prefix: o.prefix ?? '' });
    await initBackend({ deterministic: o.deterministic });
    const r = { ...o, model: o.model, out, prefix: o.prefix ?? 'call me' };
    return o.action === 'train' ? trainRnnLM(r) : generateRnnLM(r);
  },
});
