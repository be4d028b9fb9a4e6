/**
 * Cleans one (msgid, msgstr) pair of a gettext catalog into a sentence pair, or says why it is
 * dropped. In order: empty sides; more than `maxLines` lines (usage texts); accelerators
 * (`_File`, `&File`, and the CJK `文件(_F)`); Pango/HTML markup (`<b>…</b>`, entities); format
 * specifiers (printf `%s %d %1$s %-10s %'.2f`, python `%(name)s {0} {name}`, shell `${VAR} $VAR`;
 * binutils` `%pA %pB %P %E %H %V %W %v %w` too; not printf's space flag, so French `100 % de` stays text);
 * whitespace; then a pair whose sides are equal (untranslated) or, for Chinese, whose target
 * holds no Han character, is dropped.
 *
 * Specifiers are replaced by one placeholder token (`<arg>`, spaced as a word) on both sides by
 * default, and a pair whose sides hold different numbers of them is dropped: 23% of the French
 * catalogs' messages hold one (dropping them keeps 38,753 en–fr pairs instead of 58,213), their
 * values (file names, numbers) carry no translation, and a model learns to copy the slot over, as
 * in the copy task. `specifiers: 'drop'` drops every pair with one instead.
 *
 *   cleanPair('Cannot open _file %s', 'Impossible d\'ouvrir le _fichier %s');
 *   // { ok: true, src: 'Cannot open file <arg>', tgt: "Impossible d'ouvrir le fichier <arg>" }
 *   cleanPair('File', 'File'); // { ok: false, reason: 'untranslated' }
 */
import { z } from 'zod';

/** Why a pair was left out (the keys of stats.json's `dropped`). */
export const DROP_REASONS = [
  'empty',
  'multiline',
  'format',
  'format-mismatch',
  'untranslated',
  'wrong-script',
  'too-short',
  'too-long',
  'duplicate',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface CleanPairOptions {
  /** Format specifiers: replaced by `placeholder` on both sides, or the pair dropped. Default 'placeholder'. */
  specifiers?: 'placeholder' | 'drop';
  /** The token that replaces a specifier. Default '<arg>'. */
  placeholder?: string;
  /** Pairs whose source has more non-blank lines are dropped (usage texts). Default 2. */
  maxLines?: number;
  /** The target must hold a Han character (set for Chinese). Default false. */
  requireHan?: boolean;
}

export const cleanPairSchema = z.object({
  specifiers: z.enum(['placeholder', 'drop']).optional(),
  placeholder: z.string().min(1).optional(),
  maxLines: z.number().int().min(1).optional(),
  requireHan: z.boolean().optional(),
});

export type CleanedPair = { ok: true; src: string; tgt: string } | { ok: false; reason: DropReason };

/** `文件(_F)`, `(&F)`, full-width parentheses too: the whole group goes. */
const CJK_ACCELERATOR = /\s*[(（][_&][\p{L}\p{N}][)）]/gu;
const HTML_ENTITY = /&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-fA-F]+);/;
/** `_F`/`&F` where a letter follows and no word character precedes (so `LC_ALL`, `a & b` stay). */
const ACCELERATOR = new RegExp(
  `(?<![\\p{L}\\p{N}_&])(?:_|&(?!${HTML_ENTITY.source.slice(1)}))(?=\\p{L})`,
  'gu',
);
const MARKUP_TAGS = 'b|i|u|s|tt|big|small|sub|sup|span|a|br|p|em|strong|code|kbd|q|markup|emphasis|literal';
const MARKUP = new RegExp(`</?(?:${MARKUP_TAGS})(?:\\s[^<>]*)?/?>`, 'gi');
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** printf (with `%%`), python `%(name)s` and `{…}`, shell `${VAR}` and `$VAR`. */
export const FORMAT_SPECIFIER = new RegExp(
  [
    '%%',
    '%p[A-Z]',
    "%(?:\\d+\\$)?(?:\\([A-Za-z_]\\w*\\))?[-+#0']*(?:\\d+|\\*(?:\\d+\\$)?)?(?:\\.(?:\\d+|\\*(?:\\d+\\$)?))?(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcspnCSmrPBEHVvWw]",
    '\\{(?:\\d+|[A-Za-z_]\\w*)?(?:![rsa])?(?::[^{}]*)?\\}',
    '\\$\\{[A-Za-z_]\\w*\\}',
    '\\$[A-Za-z_]\\w*',
  ].join('|'),
  'g',
);

/** Removes accelerators, markup and entities. */
export function stripMarkup(s: string): string {
  return s
    .replace(CJK_ACCELERATOR, '')
    .replace(ACCELERATOR, '')
    .replace(MARKUP, '')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
      e.startsWith('#')
        ? String.fromCodePoint(Number(e.startsWith('#x') ? `0x${e.slice(2)}` : e.slice(1)))
        : (ENTITIES[e] ?? ''),
    );
}

/** Replaces format specifiers by `placeholder` (`%%` becomes `%`); returns the text and the count. */
export function replaceSpecifiers(s: string, placeholder = '<arg>'): { text: string; count: number } {
  let count = 0;
  const text = s.replace(FORMAT_SPECIFIER, (m) => {
    if (m === '%%') return '%';
    count++;
    return ` ${placeholder} `;
  });
  return { text, count };
}

/** Collapses whitespace (non-breaking spaces included) to single spaces and trims. */
export function normalizeSpace(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
}

const HAN = /\p{Script=Han}/u;

function countLines(s: string): number {
  return s.split('\n').filter((l) => l.trim() !== '').length;
}

/** The cleaned pair, or the reason it is dropped (see the file header). */
export function cleanPair(msgid: string, msgstr: string, options: CleanPairOptions = {}): CleanedPair {
  const o = cleanPairSchema.parse(options);
  if (msgid.trim() === '' || msgstr.trim() === '') return { ok: false, reason: 'empty' };
  if (countLines(msgid) > (o.maxLines ?? 2)) return { ok: false, reason: 'multiline' };
  const placeholder = o.placeholder ?? '<arg>';
  const src = replaceSpecifiers(stripMarkup(msgid), placeholder);
  const tgt = replaceSpecifiers(stripMarkup(msgstr), placeholder);
  if (o.specifiers === 'drop' && (src.count > 0 || tgt.count > 0)) return { ok: false, reason: 'format' };
  if (src.count !== tgt.count) return { ok: false, reason: 'format-mismatch' };
  const s = normalizeSpace(src.text);
  const t = normalizeSpace(tgt.text);
  if (s === '' || t === '') return { ok: false, reason: 'empty' };
  if (s === t) return { ok: false, reason: 'untranslated' };
  if (o.requireHan && !HAN.test(t)) return { ok: false, reason: 'wrong-script' };
  return { ok: true, src: s, tgt: t };
}
