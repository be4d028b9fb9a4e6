/**
 * `pnpm nlp vocab build [--corpus moby-dick|uci|fortunes-zh] [--level word|char] [--min-freq 1]
 * [--out runs/vocab]`: builds a vocab, writes vocab.json, stats.json and the Zipf plot (zipf.png).
 *
 *   pnpm nlp vocab build --corpus moby-dick --min-freq 2
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Vocab, writeZipfPlot } from '@dlpipe/nlp';
import { type Command, parseCommandArgs } from '@dlpipe/tensor';
import { z } from 'zod';
import { CORPORA, corpusTokens } from '../corpus-tokens.js';

const USAGE = `usage: pnpm nlp vocab build [--corpus ${CORPORA.join('|')}] [--level word|char] [--min-freq 1]
       [--out runs/vocab]

Builds a vocabulary (<unk>, <pad>, <bos>, <eos> reserved) and writes vocab.json, stats.json and zipf.png.`;

const schema = z.object({
  _: z.tuple([z.literal('build')]),
  corpus: z.enum(CORPORA).default('moby-dick'),
  level: z.enum(['word', 'char']).default('word'),
  'min-freq': z.coerce.number().int().min(1).default(1),
  out: z.string().default('runs/vocab'),
});

const OPTIONS = {
  corpus: { type: 'string' },
  level: { type: 'string' },
  'min-freq': { type: 'string' },
  out: { type: 'string' },
} as const;

export const vocab: Command = {
  summary: 'build a vocabulary with frequency stats and a Zipf plot',
  usage: USAGE,
  async run(argv) {
    const o = parseCommandArgs(argv, OPTIONS, schema, USAGE);
    const tokens = corpusTokens(o.corpus, o.level);
    const v = Vocab.build(tokens, { minFreq: o['min-freq'], reserved: ['<pad>', '<bos>', '<eos>'] });
    mkdirSync(o.out, { recursive: true });
    v.save(join(o.out, 'vocab.json'));
    const s = v.stats();
    writeFileSync(
      join(o.out, 'stats.json'),
      JSON.stringify({ corpus: o.corpus, level: o.level, tokens: tokens.length, ...s }, null, 2),
    );
    const figs = writeZipfPlot(tokens, join(o.out, 'zipf.png'), `Zipf (${o.corpus}, ${o.level})`);
    console.log(
      `${o.corpus}: ${tokens.length} tokens, vocab ${s.size} (min freq ${o['min-freq']}), top-10 share ${(s.top10Share * 100).toFixed(1)}%`,
    );
    console.log(`wrote ${join(o.out, 'vocab.json')}, ${join(o.out, 'stats.json')}, ${figs.join(', ')}`);
    return 0;
  },
};
