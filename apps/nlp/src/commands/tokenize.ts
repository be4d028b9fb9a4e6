/**
 * `pnpm nlp tokenize --lang en|zh|wordpiece [--kind treebank] [--mode precise] [--ids] [TEXT | --file F]`:
 * prints one line of tokens (space-separated) per input line; `--json`: one JSON array of arrays.
 *
 *   pnpm nlp tokenize --lang wordpiece --ids "Hello, world!"   # 101 7592 1010 2088 999 102
 */
import { readFileSync } from 'node:fs';
import { checkInputFile, DlpipeError, defineCommand, OptionsError } from '@dlpipe/core';
import {
  bertUncased,
  CHINESE_MODES,
  ChineseTokenizer,
  checkText,
  DEFAULT_MAX_LINE_CHARS,
  decodeUtf8,
  ENGLISH_KINDS,
  EnglishTokenizer,
} from '@dlpipe/nlp';
import { z } from 'zod';

const flags = {
  lang: z.enum(['en', 'zh', 'wordpiece']).default('en').meta({ description: 'the tokenizer' }),
  kind: z.enum(ENGLISH_KINDS).default('treebank').meta({ description: "--lang en: natural's tokenizer" }),
  mode: z.enum(CHINESE_MODES).default('precise').meta({ description: "--lang zh: jieba's cut mode" }),
  userDict: z
    .string()
    .optional()
    .meta({ placeholder: 'FILE', description: '--lang zh: a jieba user dictionary' }),
  lowercase: z.boolean().default(false).meta({ description: 'lowercase first' }),
  nfkc: z.boolean().default(false).meta({ description: 'NFKC-normalize first' }),
  stripAccents: z.boolean().default(false).meta({ description: 'strip accents first' }),
  stem: z.boolean().default(false).meta({ description: '--lang en: Porter-stem the tokens' }),
  ids: z.boolean().default(false).meta({ description: '--lang wordpiece: print token ids' }),
  file: z
    .string()
    .optional()
    .meta({ placeholder: 'FILE', description: 'read the text from FILE (default: TEXT or stdin)' }),
  maxLineChars: z.coerce.number().int().positive().default(DEFAULT_MAX_LINE_CHARS).meta({
    placeholder: 'N',
    description: 'the longest line accepted, in characters (a guard against one huge line)',
  }),
};
type Options = z.output<z.ZodObject<typeof flags>>;

/** A line too long for the tokenizers, with where it is and how to get past it. */
class LineTooLongError extends DlpipeError {
  constructor(source: string, line: number, message: string) {
    super('LINE_TOO_LONG', `${source}, line ${line}: ${message}`);
  }
}

/**
 * A line cut at whitespace into pieces of at most `max` characters: the tokenizers refuse lines
 * over DEFAULT_MAX_LINE_CHARS, and no token spans whitespace, so a longer line allowed by
 * --max-line-chars is tokenized piece by piece. Undefined when a stretch of `max` has no space.
 */
export function splitAtSpaces(line: string, max = DEFAULT_MAX_LINE_CHARS): string[] | undefined {
  const out: string[] = [];
  let start = 0;
  while (line.length - start > max) {
    let cut = start + max - 1;
    while (cut > start && !/\s/.test(line[cut]!)) cut--;
    if (cut === start) return undefined;
    out.push(line.slice(start, cut + 1));
    start = cut + 1;
  }
  out.push(line.slice(start));
  return out;
}

/** Flags of one tokenizer given with another are refused, not ignored. */
function checkLangFlags(o: Options): void {
  const only: [boolean, string, Options['lang']][] = [
    [Boolean(o.userDict), '--user-dict', 'zh'],
    [o.stem, '--stem', 'en'],
    [o.ids, '--ids', 'wordpiece'],
  ];
  for (const [given, flag, lang] of only) {
    if (given && o.lang !== lang)
      throw new OptionsError(`${flag} applies to --lang ${lang}, not --lang ${o.lang}`);
  }
}

/** The tokenizer the options ask for, as one function per line (a line in pieces: see splitAtSpaces). */
function lineTokenizer(o: Options): (pieces: string[]) => Array<string | number> {
  const norm = { lowercase: o.lowercase, nfkc: o.nfkc, stripAccents: o.stripAccents };
  if (o.lang === 'en') {
    const t = new EnglishTokenizer({ kind: o.kind, stem: o.stem, ...norm });
    return (ps) => ps.flatMap((p) => t.tokenize(p));
  }
  if (o.lang === 'zh') {
    const t = new ChineseTokenizer({ mode: o.mode, ...(o.userDict && { userDict: o.userDict }), ...norm });
    return (ps) => ps.flatMap((p) => t.tokenize(p));
  }
  const t = bertUncased();
  const pick = (e: { ids: number[]; tokens: string[] }): Array<string | number> => (o.ids ? e.ids : e.tokens);
  return (ps) => {
    if (ps.length === 1) return pick(t.encode(ps[0]!));
    const [cls, sep] = pick(t.encode('')); // [CLS] [SEP] around the pieces' tokens
    return [cls!, ...ps.flatMap((p) => pick(t.encode(p, undefined, { addSpecialTokens: false }))), sep!];
  };
}

/** The text's lines, each in pieces the tokenizers accept; an over-long line is an error naming source and line. */
function linePieces(text: string, source: string, max: number, keepBlank: boolean): string[][] {
  const out: string[][] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!keepBlank && line.trim() === '') return;
    if (line.length > max) {
      throw new LineTooLongError(
        source,
        i + 1,
        `${line.length} characters, more than the limit of ${max}: split the text into lines or sentences, ` +
          `or raise the limit (--max-line-chars ${line.length})`,
      );
    }
    const pieces = splitAtSpaces(line);
    if (!pieces) {
      throw new LineTooLongError(
        source,
        i + 1,
        `more than ${DEFAULT_MAX_LINE_CHARS} characters without a space, which no tokenizer takes: split the line`,
      );
    }
    out.push(pieces);
  });
  return out;
}

export const tokenize = defineCommand({
  summary: 'print the tokens of text (English, Chinese or BERT WordPiece)',
  description:
    'Prints the tokens of each input line, space-separated (ids with --lang wordpiece --ids; with\n--json, one JSON array holding an array of tokens per line).',
  args: { text: z.array(z.string()).describe('the text (words joined by spaces); default: --file or stdin') },
  flags,
  examples: [
    'pnpm nlp tokenize --lang zh "我来到北京清华大学"',
    'pnpm nlp tokenize --lang wordpiece --ids "Hello, world!"',
    'pnpm nlp tokenize --kind wordpunct --stem --file notes.txt',
  ],
  json: true,
  async run(o) {
    checkLangFlags(o);
    const fromArgs = o.text.length > 0;
    if (!fromArgs && o.file) checkInputFile(o.file, 'text file (--file)');
    const source = fromArgs ? 'the text argument' : (o.file ?? 'stdin');
    const text = fromArgs
      ? o.text.join(' ')
      : decodeUtf8(o.file ? readFileSync(o.file) : readFileSync(0), source);
    checkText(text, { source, maxLineChars: Number.POSITIVE_INFINITY }); // lone surrogates
    const lines = linePieces(text, source, o.maxLineChars, fromArgs);
    const tokenizeLine = lineTokenizer(o);
    const tokens = lines.map(tokenizeLine);
    return { lines: tokens.map((t) => t.join(' ')), data: tokens };
  },
});
