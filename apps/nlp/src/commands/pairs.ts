/**
 * `pnpm nlp pairs build [--lang fr|zh|zh_TW] [--out DIR]`: English–French or English–Chinese
 * sentence pairs from the gettext catalogs installed on this machine (see @dlpipe/nlp's
 * `buildPairs`), written as `pairs-en-<lang>.{train,val,test}.tsv`, `stats-en-<lang>.json` and a
 * length histogram (`lengths-en-<lang>.png` + `.svg`). Read them back with `loadPairs`.
 *
 *   pnpm nlp pairs build --lang zh --out runs/pairs --min-len 2 --max-len 30
 */
import { defineCommand, ensureDir, OptionsError } from '@dlpipe/core';
import { buildPairs, PAIR_LANGS, writePairsBuild } from '@dlpipe/nlp';
import { z } from 'zod';

const flags = {
  lang: z.enum(PAIR_LANGS).default('fr').meta({
    description: 'the target language: fr, zh (simplified, zh_CN catalogs) or zh_TW (traditional)',
  }),
  out: z
    .string()
    .min(1)
    .default('runs/pairs')
    .meta({ placeholder: 'DIR', description: 'the folder to write the pairs to' }),
  minLen: z.coerce
    .number()
    .int()
    .min(1)
    .default(2)
    .meta({ placeholder: 'N', description: 'fewest tokens on each side' }),
  maxLen: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .meta({ placeholder: 'N', description: 'most tokens on each side' }),
  localeDir: z.array(z.string().min(1)).optional().meta({
    placeholder: 'DIR',
    description:
      'a folder of <locale>/LC_MESSAGES/*.mo (repeatable; default /usr/share/locale and /usr/share/locale-langpack)',
  }),
  package: z.array(z.string().min(1)).optional().meta({
    placeholder: 'NAME',
    description: 'read only this catalog (file name without .mo; repeatable; default all)',
  }),
  specifiers: z.enum(['placeholder', 'drop']).default('placeholder').meta({
    description: 'format specifiers (%s, {0}, $VAR): replaced by <arg> on both sides, or the pair dropped',
  }),
  keepCase: z.boolean().default(false).meta({ description: 'do not lowercase the token columns' }),
  seed: z.coerce
    .number()
    .int()
    .default(0)
    .meta({ description: 'salt of the split hash (another seed, another split)' }),
};

export const pairs = defineCommand({
  summary: 'build en–fr / en–zh sentence pairs from gettext catalogs',
  description: `build: reads every gettext catalog (.mo) of the language under the locale folders,
cleans each message (accelerators, markup, format specifiers, whitespace; drops empty,
untranslated and multi-line ones), keeps pairs of --min-len..--max-len tokens on both sides,
deduplicates on the normalized English source (the most common translation wins) and splits
90/5/5 by a hash of the source, so no source is in two splits. Chinese is segmented with jieba.
Writes pairs-en-<lang>.{train,val,test}.tsv (columns src, tgt, src_tok, tgt_tok, package),
stats-en-<lang>.json (pairs per package, drops per reason, lengths) and lengths-en-<lang>.png/.svg.
More catalogs: apt-get install libc-l10n coreutils tar grep sed findutils diffutils bash gettext
util-linux-locales e2fsprogs-l10n gawk nano cpio wget make gnupg-l10n.`,
  args: { action: z.enum(['build']).describe('build the pairs (build)') },
  flags,
  examples: [
    'pnpm nlp pairs build --lang fr',
    'pnpm nlp pairs build --lang zh --out runs/pairs --max-len 20',
    'pnpm nlp pairs build --lang fr --package coreutils --package grep --specifiers drop',
  ],
  json: true,
  async run(o) {
    if (o.minLen > o.maxLen) {
      throw new OptionsError(
        `--min-len ${o.minLen} is more than --max-len ${o.maxLen}; give --min-len <= --max-len.`,
      );
    }
    const build = buildPairs({
      lang: o.lang,
      ...(o.localeDir ? { localeDirs: o.localeDir } : {}),
      ...(o.package ? { packages: o.package } : {}),
      minLen: o.minLen,
      maxLen: o.maxLen,
      specifiers: o.specifiers,
      lowercase: !o.keepCase,
      seed: o.seed,
    });
    ensureDir(o.out, 'pairs folder (--out)');
    const files = writePairsBuild(build, o.out);
    const s = build.stats;
    const dropped = Object.entries(s.dropped)
      .filter(([, n]) => n > 0)
      .map(([r, n]) => `${r} ${n}`)
      .join(', ');
    const top = Object.entries(s.packages)
      .sort((a, b) => b[1].kept - a[1].kept)
      .slice(0, 8)
      .map(([p, v]) => `${p} ${v.kept}`)
      .join(', ');
    return {
      lines: [
        `en–${s.lang}: ${s.kept} pairs (train ${s.splits.train}, val ${s.splits.val}, test ${s.splits.test}) from ${s.messages} messages in ${s.catalogs} catalogs`,
        `dropped: ${dropped || 'none'}`,
        `most pairs: ${top}`,
        ...(s.badCatalogs.length > 0
          ? [`skipped ${s.badCatalogs.length} unreadable catalogs (listed in the stats file)`]
          : []),
        ...files.map((f) => `wrote ${f}`),
      ],
      data: { ...s, files },
    };
  },
});
