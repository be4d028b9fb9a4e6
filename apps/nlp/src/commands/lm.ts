/**
 * `pnpm nlp lm train --model ngram [--n 3] [--smoothing kneser-ney|add-k] [--corpus moby-dick]`
 * (held-out perplexity, runs/lm-ngram/metrics.json) and `pnpm nlp lm generate --prefix "the whale"`;
 * `--model gru|lstm|rnn` trains d2l's char-level RNN LM (see lm-rnn.ts).
 *
 *   pnpm nlp lm train --model ngram --n 3 && pnpm nlp lm generate --prefix "call me"
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ModelUseError, NgramLM, Rng } from '@dlpipe/nlp';
import { z } from 'zod';
import { CORPORA, corpusSentences } from '../corpus-tokens.js';
import { parseOrThrow } from '../options.js';
import { generateRnnLM, RNN_BOOLEAN_OPTS, RNN_STRING_OPTS, rnnSchema, trainRnnLM } from './lm-rnn.js';

const schema = z.object({
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

const STRING_OPTS = ['model', 'corpus', 'level', 'n', 'smoothing', 'k', 'prefix', 'seed', 'out'];

function trainNgram(o: z.output<typeof schema>) {
  const sentences = corpusSentences(o.corpus, o.level);
  const cut = Math.floor(sentences.length * 0.9);
  const lm = NgramLM.train(sentences.slice(0, cut), { n: o.n, smoothing: o.smoothing, k: o.k });
  return { lm, train: sentences.slice(0, cut), test: sentences.slice(cut) };
}

export async function lmCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'train' && sub !== 'generate') {
    throw new ModelUseError(`nlp lm: unknown subcommand '${sub ?? ''}'; expected train or generate.`);
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      ...Object.fromEntries(
        [...STRING_OPTS, ...RNN_STRING_OPTS].map((k) => [k, { type: 'string' as const }]),
      ),
      ...Object.fromEntries(RNN_BOOLEAN_OPTS.map((k) => [k, { type: 'boolean' as const }])),
    },
  });
  if (values.model !== undefined && values.model !== 'ngram') {
    const r = parseOrThrow(rnnSchema, values, `lm ${sub}`);
    return sub === 'train' ? trainRnnLM(r) : generateRnnLM(r);
  }
  const o = parseOrThrow(schema, values, `lm ${sub}`);
  const { lm, test } = trainNgram(o);
  if (sub === 'train') {
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
  {
    const prefix = o.level === 'char' ? Array.from(o.prefix) : o.prefix.split(/\s+/).filter((w) => w !== '');
    const out = lm.sample(new Rng(o.seed), { prefix, maxLength: 40 });
    console.log(out.join(o.level === 'char' ? '' : ' '));
    return 0;
  }
}
