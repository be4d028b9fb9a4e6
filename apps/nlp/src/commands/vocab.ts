/**
 * `pnpm nlp vocab build [--corpus moby-dick|uci|fortunes-zh] [--level word|char] [--min-freq 1]
 * [--out runs/vocab]`: builds a vocab, writes vocab.json, stats.json and the Zipf plot (zipf.png).
 *
 *   pnpm nlp vocab build --corpus moby-dick --min-freq 2
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand, ensureDir } from '@dlpipe/core';
import { Vocab, writeZipfPlot } from '@dlpipe/nlp';
import { z } from 'zod';
import { CORPORA, corpusTokens } from '../corpus-tokens.js';

export const vocab = defineCommand({
  summary: 'build a vocabulary with frequency stats and a Zipf plot',
  description:
    'Builds a vocabulary (<unk>, <pad>, <bos>, <eos> reserved) and writes vocab.json, stats.json and zipf.png.',
  args: { action: z.literal('build').describe('what to do (build)') },
  flags: {
    corpus: z.enum(CORPORA).default('moby-dick').meta({ description: 'the corpus' }),
    level: z.enum(['word', 'char']).default('word').meta({ description: 'tokens are words or characters' }),
    minFreq: z.coerce.number().int().min(1).default(1).meta({ description: 'drop tokens seen fewer times' }),
    out: z.string().default('runs/vocab').meta({ placeholder: 'DIR', description: 'where the files go' }),
  },
  examples: ['pnpm nlp vocab build --corpus moby-dick --min-freq 2'],
  json: true,
  async run(o) {
    ensureDir(o.out, 'output folder');
    const tokens = corpusTokens(o.corpus, o.level);
    const v = Vocab.build(tokens, { minFreq: o.minFreq, reserved: ['<pad>', '<bos>', '<eos>'] });
    v.save(join(o.out, 'vocab.json'));
    const stats = { corpus: o.corpus, level: o.level, tokens: tokens.length, ...v.stats() };
    writeFileSync(join(o.out, 'stats.json'), JSON.stringify(stats, null, 2));
    const figs = writeZipfPlot(tokens, join(o.out, 'zipf.png'), `Zipf (${o.corpus}, ${o.level})`);
    const files = [join(o.out, 'vocab.json'), join(o.out, 'stats.json'), ...figs];
    return {
      lines: [
        `${o.corpus}: ${tokens.length} tokens, vocab ${stats.size} (min freq ${o.minFreq}), top-10 share ${(stats.top10Share * 100).toFixed(1)}%`,
        `wrote ${files.join(', ')}`,
      ],
      data: { ...stats, files },
    };
  },
});
