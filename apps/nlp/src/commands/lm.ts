/**
 * `pnpm nlp lm train --model ngram [--n 3] [--smoothing kneser-ney|add-k] [--corpus moby-dick]`
 * (held-out perplexity, runs/lm-ngram/metrics.json) and `pnpm nlp lm generate --prefix "the whale"`.
 * RNN/GRU/LSTM language models are not built yet (issue 7 part 4).
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
  const { values } = parseArgs({
    args: rest,
    options: Object.fromEntries(STRING_OPTS.map((k) => [k, { type: 'string' as const }])),
  });
  const o = parseOrThrow(schema, values, `lm ${sub ?? ''}`);
  if (o.model !== 'ngram') {
    throw new ModelUseError(
      `nlp lm: --model ${o.model} is not available yet (RNN language models are pending); use --model ngram.`,
    );
  }
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
  if (sub === 'generate') {
    const prefix = o.level === 'char' ? Array.from(o.prefix) : o.prefix.split(/\s+/).filter((w) => w !== '');
    const out = lm.sample(new Rng(o.seed), { prefix, maxLength: 40 });
    console.log(out.join(o.level === 'char' ? '' : ' '));
    return 0;
  }
  throw new ModelUseError(`nlp lm: unknown subcommand '${sub ?? ''}'; expected train or generate.`);
}
