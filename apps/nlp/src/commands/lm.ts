/**
 * `pnpm nlp lm train --model ngram [--n 3] [--smoothing kneser-ney|add-k] [--corpus moby-dick]`
 * (held-out perplexity, runs/lm-ngram/metrics.json) and `pnpm nlp lm generate --prefix "the whale"`;
 * `--model gru|lstm|rnn` trains d2l's char-level RNN LM (see lm-rnn.ts).
 *
 *   pnpm nlp lm train --model ngram --n 3 && pnpm nlp lm generate --prefix "call me"
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NgramLM, Rng } from '@dlpipe/nlp';
import { type Command, parseCommandArgs } from '@dlpipe/tensor';
import { z } from 'zod';
import { CORPORA, corpusSentences } from '../corpus-tokens.js';
import { generateRnnLM, RNN_OPTIONS, RNN_USAGE, rnnSchema, trainRnnLM } from './lm-rnn.js';

const USAGE = `usage: pnpm nlp lm train|generate --model ngram [--n 1-3] [--smoothing kneser-ney|add-k] [--k 1]
       [--corpus ${CORPORA.join('|')}] [--level word|char] [--prefix TEXT] [--seed 42] [--out runs/lm-ngram]
${RNN_USAGE}`;

const SUBCOMMAND = z.tuple([z.enum(['train', 'generate'])]);
const RNN_MODELS: readonly string[] = ['rnn', 'gru', 'lstm'];

const schema = z.object({
  _: SUBCOMMAND,
  model: z.enum(['ngram', 'rnn', 'gru', 'lstm']).default('ngram'),
  corpus: z.enum(CORPORA).default('moby-dick'),
  level: z.enum(['word', 'char']).default('word'),
  n: z.coerce.number().int().min(1).max(3).default(3),
  smoothing: z.enum(['add-k', 'kneser-ney']).default('kneser-ney'),
  k: z.coerce.number().positive().default(1),
  prefix: z.string().default(''),
  seed: z.coerce.number().int().default(42),
  out: z.string().default('runs/lm-ngram'),
});
type Options = z.output<typeof schema>;

const OPTIONS = {
  ...Object.fromEntries(
    ['model', 'corpus', 'level', 'n', 'smoothing', 'k', 'prefix', 'seed', 'out'].map((k) => [
      k,
      { type: 'string' },
    ]),
  ),
  ...RNN_OPTIONS,
} as Record<string, { type: 'string' | 'boolean' }>;

function trainNgram(o: Options) {
  const sentences = corpusSentences(o.corpus, o.level);
  const cut = Math.floor(sentences.length * 0.9);
  const lm = NgramLM.train(sentences.slice(0, cut), { n: o.n, smoothing: o.smoothing, k: o.k });
  return { lm, test: sentences.slice(cut) };
}

function ngram(o: Options): number {
  const { lm, test } = trainNgram(o);
  if (o._[0] === 'generate') {
    const prefix = o.level === 'char' ? Array.from(o.prefix) : o.prefix.split(/\s+/).filter((w) => w !== '');
    const out = lm.sample(new Rng(o.seed), { prefix, maxLength: 40 });
    console.log(out.join(o.level === 'char' ? '' : ' '));
    return 0;
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
  mkdirSync(o.out, { recursive: true });
  writeFileSync(join(o.out, 'metrics.json'), JSON.stringify(metrics, null, 2));
  console.log(
    `${metrics.model} ${o.smoothing} on ${o.corpus}: held-out perplexity ${metrics.testPerplexity.toFixed(2)} (vocab ${metrics.vocab})`,
  );
  console.log(`wrote ${join(o.out, 'metrics.json')}`);
  return 0;
}

export const lm: Command = {
  summary: 'train or sample an n-gram or RNN/GRU/LSTM language model',
  usage: USAGE,
  async run(argv) {
    // The model picks the schema: n-gram options, or the RNN ones (lm-rnn.ts).
    const peek = parseCommandArgs(argv, OPTIONS, z.looseObject({ model: z.string().optional() }), USAGE);
    if (!RNN_MODELS.includes(peek.model ?? '')) {
      const o = parseCommandArgs(argv, OPTIONS, schema, USAGE);
      return ngram(o);
    }
    const r = parseCommandArgs(argv, OPTIONS, rnnSchema.extend({ _: SUBCOMMAND }), USAGE);
    return r._[0] === 'train' ? trainRnnLM(r) : generateRnnLM(r);
  },
};
