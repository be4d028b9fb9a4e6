/**
 * Builds English–French or English–Chinese sentence pairs from the gettext catalogs installed on
 * the machine: find the catalogs → read each `.mo` → clean each message (`cleanPair`) → token
 * columns (d2l's preprocess_nmt; jieba for Chinese) → keep `minLen..maxLen` tokens on both sides
 * → deduplicate on the normalized source → split train/val/test by its hash. Every message read is
 * either kept or counted under one drop reason, so `messages = kept + Σ dropped`.
 *
 *   const result = buildPairs({ lang: 'fr', minLen: 2, maxLen: 30 });
 *   writePairsBuild(result, 'runs/pairs');
 *   // pairs-en-fr.{train,val,test}.tsv, stats-en-fr.json, lengths-en-fr.{png,svg} (one folder holds every language)
 */
import { join } from 'node:path';
import { ensureDir, OptionsError, writeFileAtomicSync } from '@dlpipe/core';
import { writeFigure } from '@dlpipe/plot';
import { z } from 'zod';
import { CorpusError } from '../errors.js';
import { type CatalogFile, findCatalogs, LOCALES_OF, PAIR_LANGS, type PairLang } from './catalogs.js';
import { type CleanPairOptions, cleanPair, DROP_REASONS, type DropReason } from './clean-pair.js';
import { dedupPairs, type PairRecord } from './dedup-pairs.js';
import { type LengthStats, lengthStats, plotLengthHistogram } from './length-histogram.js';
import { type MoCatalog, MoFormatError, readMo } from './mo-file.js';
import { pairTokenCount, preprocessNmt, segmentChinese } from './pair-tokens.js';
import { writePairsSplits } from './pairs-tsv.js';
import {
  DEFAULT_SPLIT_RATIOS,
  dedupKey,
  SPLITS,
  type Split,
  type SplitRatios,
  splitOf,
  splitRatiosSchema,
} from './split.js';

export interface BuildPairsOptions extends Omit<CleanPairOptions, 'requireHan'> {
  /** The target language: 'fr', 'zh' (zh_CN) or 'zh_TW'. */
  lang: PairLang;
  /** Folders holding `<locale>/LC_MESSAGES/*.mo`. Default /usr/share/locale (+ locale-langpack). */
  localeDirs?: string[];
  /** Read only the catalogs of these packages (file names without .mo). Default all. */
  packages?: string[];
  /** Fewest tokens on each side. Default 2. */
  minLen?: number;
  /** Most tokens on each side. Default 30. */
  maxLen?: number;
  /** Lowercase the token columns (d2l does). Default true. */
  lowercase?: boolean;
  /** Split fractions. Default 0.9 / 0.05 / 0.05. */
  ratios?: SplitRatios;
  /** Salt of the split hash. Default 0. */
  seed?: number;
}

export const buildPairsSchema = z
  .object({
    lang: z.enum(PAIR_LANGS),
    localeDirs: z.array(z.string().min(1)).optional(),
    packages: z.array(z.string().min(1)).optional(),
    minLen: z.number().int().min(1).default(2),
    maxLen: z.number().int().min(1).default(30),
    lowercase: z.boolean().default(true),
    ratios: splitRatiosSchema.default(DEFAULT_SPLIT_RATIOS),
    seed: z.number().int().default(0),
    specifiers: z.enum(['placeholder', 'drop']).default('placeholder'),
    placeholder: z.string().min(1).default('<arg>'),
    maxLines: z.number().int().min(1).default(2),
  })
  .refine((o) => o.minLen <= o.maxLen, { message: 'minLen must be at most maxLen', path: ['minLen'] });

/** What a build did: the numbers of `stats-en-<lang>.json`. */
export interface PairsStats {
  lang: PairLang;
  locales: readonly string[];
  catalogs: number;
  /** Messages read (header entries left out). */
  messages: number;
  /** Pairs kept (all splits). */
  kept: number;
  dropped: Record<DropReason, number>;
  splits: Record<Split, number>;
  /** Per package: messages read and pairs kept (a kept pair counts for the package it was taken from). */
  packages: Record<string, { messages: number; kept: number }>;
  /** Catalogs that could not be read, with the reason (they are skipped). */
  badCatalogs: { path: string; error: string }[];
  lengths: LengthStats;
  options: {
    minLen: number;
    maxLen: number;
    lowercase: boolean;
    specifiers: string;
    ratios: SplitRatios;
    seed: number;
  };
}

export interface PairsBuild {
  splits: Record<Split, PairRecord[]>;
  stats: PairsStats;
}

type Options = z.output<typeof buildPairsSchema>;

function parseOptions(options: BuildPairsOptions): Options {
  const r = buildPairsSchema.safeParse(options);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
  throw new OptionsError(
    `buildPairs: ${lines.join('; ')} (got ${JSON.stringify({ minLen: options.minLen, maxLen: options.maxLen })}).`,
  );
}

/** The token columns of a cleaned pair. */
function tokensOf(src: string, tgt: string, o: Options): { srcTok: string; tgtTok: string } {
  const srcTok = preprocessNmt(src, o.lowercase);
  const tgtTok =
    o.lang === 'fr' ? preprocessNmt(tgt, o.lowercase) : segmentChinese(tgt, o.placeholder, o.lowercase);
  return { srcTok, tgtTok };
}

/** The pairs of one catalog that pass cleaning and the length filter; drops counted into `dropped`. */
function pairsOf(
  cat: MoCatalog,
  file: CatalogFile,
  o: Options,
  dropped: Record<DropReason, number>,
): PairRecord[] {
  const out: PairRecord[] = [];
  for (const e of cat.entries) {
    const c = cleanPair(e.msgid, e.msgstr, { ...o, requireHan: o.lang !== 'fr' });
    if (!c.ok) {
      dropped[c.reason]++;
      continue;
    }
    const { srcTok, tgtTok } = tokensOf(c.src, c.tgt, o);
    const lens = [pairTokenCount(srcTok), pairTokenCount(tgtTok)];
    if (Math.min(...lens) < o.minLen) dropped['too-short']++;
    else if (Math.max(...lens) > o.maxLen) dropped['too-long']++;
    else out.push({ src: c.src, tgt: c.tgt, srcTok, tgtTok, package: file.package });
  }
  return out;
}

/** The catalogs of the chosen packages; a package with no catalog is a CorpusError listing those found. */
function selectPackages(files: CatalogFile[], packages: string[] | undefined): CatalogFile[] {
  if (!packages) return files;
  const found = new Set(files.map((f) => f.package));
  const missing = packages.filter((p) => !found.has(p));
  if (missing.length > 0) {
    throw new CorpusError(
      `no catalog for package ${missing.map((m) => `'${m}'`).join(', ')}; found ${files.length} catalogs: ${[...found].slice(0, 30).join(', ')}${found.size > 30 ? ', …' : ''}.`,
    );
  }
  return files.filter((f) => packages.includes(f.package));
}

/** Builds the pairs (see the file header). */
export function buildPairs(options: BuildPairsOptions): PairsBuild {
  const o = parseOptions(options);
  const files = selectPackages(findCatalogs(o.lang, o.localeDirs), o.packages);
  const dropped = Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>;
  const packages: PairsStats['packages'] = {};
  const badCatalogs: PairsStats['badCatalogs'] = [];
  const all: PairRecord[] = [];
  let messages = 0;
  for (const file of files) {
    let cat: MoCatalog;
    try {
      cat = readMo(file.path);
    } catch (err) {
      if (!(err instanceof MoFormatError)) throw err;
      badCatalogs.push({ path: file.path, error: err.message });
      continue;
    }
    const p = packages[file.package] ?? { messages: 0, kept: 0 };
    packages[file.package] = p;
    p.messages += cat.entries.length;
    messages += cat.entries.length;
    all.push(...pairsOf(cat, file, o, dropped));
  }
  const unique = dedupPairs(all);
  dropped.duplicate = all.length - unique.length;
  const splits: Record<Split, PairRecord[]> = { train: [], val: [], test: [] };
  for (const r of unique) {
    splits[splitOf(dedupKey(r.src), o.ratios, o.seed)].push(r);
    (packages[r.package] as { kept: number }).kept++;
  }
  const stats: PairsStats = {
    lang: o.lang,
    locales: LOCALES_OF[o.lang],
    catalogs: files.length - badCatalogs.length,
    messages,
    kept: unique.length,
    dropped,
    splits: Object.fromEntries(SPLITS.map((s) => [s, splits[s].length])) as Record<Split, number>,
    packages,
    badCatalogs,
    lengths: lengthStats(unique),
    options: {
      minLen: o.minLen,
      maxLen: o.maxLen,
      lowercase: o.lowercase,
      specifiers: o.specifiers,
      ratios: o.ratios,
      seed: o.seed,
    },
  };
  return { splits, stats };
}

const LANG_NAMES: Record<PairLang, string> = {
  fr: 'French',
  zh: 'Chinese (jieba words)',
  zh_TW: 'Chinese, traditional (jieba words)',
};

/** Writes the splits' TSV files, `stats-en-<lang>.json` and the length histogram into `dir`; returns the paths. */
export function writePairsBuild(build: PairsBuild, dir: string): string[] {
  ensureDir(dir, 'pairs folder');
  const tsv = writePairsSplits(dir, build.stats.lang, build.splits);
  const stats = join(dir, `stats-en-${build.stats.lang}.json`);
  writeFileAtomicSync(stats, `${JSON.stringify(build.stats, null, 2)}\n`);
  const svg = plotLengthHistogram(build.stats.lengths, {
    title: `en–${build.stats.lang} pairs: tokens per sequence`,
    tgtName: LANG_NAMES[build.stats.lang],
  });
  const figure = writeFigure(svg, join(dir, `lengths-en-${build.stats.lang}`));
  return [...tsv, stats, ...figure];
}
