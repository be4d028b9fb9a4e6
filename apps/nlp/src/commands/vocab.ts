/**
 * `pnpm nlp vocab build [--corpus moby-dick|uci|fortunes-zh] [--level word|char] [--min-freq 1]
 * [--out runs/vocab]`: builds a vocab, writes vocab.json, stats.json and the Zipf plot (zipf.png).
 *
 *   pnpm nlp vocab build --corpus moby-dick --min-freq 2
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Vocab, writeZipfPlot } from '@dlpipe/nlp';
import { z } from 'zod';
import { CORPORA, corpusTokens } from '../corpus-tokens.js';
import { parseOrThrow } from '../options.js';

const schema = z.object({
  corpus: z.enum(CORPORA).default('moby-dick'),
  level: z.enum(['word', 'char']).default('word'),
  'min-freq': z.coerce.number().int().min(1).default(1),
  out: z.string().default('runs/vocab'),
});

export async function vocabCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'build') throw new Error(`nlp vocab: unknown subcommand '${sub ?? ''}'; expected 'build'.`);
  const { values } = parseArgs({
    args: rest,
    options: {
      corpus: { type: 'string' },
      level: { type: 'string' },
      'min-freq': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const o = parseOrThrow(schema, values, 'vocab build');
  const tokens = corpusTokens(o.corpus, o.level);
  const vocab = Vocab.build(tokens, { minFreq: o['min-freq'], reserved: ['<pad>', '<bos>', '<eos>'] });
  mkdirSync(o.out, { recursive: true });
  vocab.save(join(o.out, 'vocab.json'));
  writeFileSync(
    join(o.out, 'stats.json'),
    JSON.stringify({ corpus: o.corpus, level: o.level, tokens: tokens.length, ...vocab.stats() }, null, 2),
  );
  const figs = writeZipfPlot(tokens, join(o.out, 'zipf.png'), `Zipf (${o.corpus}, ${o.level})`);
  const s = vocab.stats();
  console.log(
    `${o.corpus}: ${tokens.length} tokens, vocab ${s.size} (min freq ${o['min-freq']}), top-10 share ${(s.top10Share * 100).toFixed(1)}%`,
  );
  console.log(`wrote ${join(o.out, 'vocab.json')}, ${join(o.out, 'stats.json')}, ${figs.join(', ')}`);
  return 0;
}
