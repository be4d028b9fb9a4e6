/**
 * `pnpm nlp tokenize --lang en|zh|wordpiece [--kind treebank] [--mode precise] [--ids] [TEXT | --file F]`:
 * prints one line of tokens (space-separated) per input line; `--json`: one JSON array of arrays.
 *
 *   pnpm nlp tokenize --lang wordpiece --ids "Hello, world!"   # 101 7592 1010 2088 999 102
 */
import { readFileSync } from 'node:fs';
import { defineCommand } from '@dlpipe/core';
import {
  bertUncased,
  CHINESE_MODES,
  ChineseTokenizer,
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
};
type Options = z.output<z.ZodObject<typeof flags>>;

/** The tokenizer the options ask for, as one function per line. */
function lineTokenizer(o: Options): (line: string) => Array<string | number> {
  const norm = { lowercase: o.lowercase, nfkc: o.nfkc, stripAccents: o.stripAccents };
  if (o.lang === 'en') {
    const t = new EnglishTokenizer({ kind: o.kind, stem: o.stem, ...norm });
    return (l) => t.tokenize(l);
  }
  if (o.lang === 'zh') {
    const t = new ChineseTokenizer({ mode: o.mode, ...(o.userDict && { userDict: o.userDict }), ...norm });
    return (l) => t.tokenize(l);
  }
  const t = bertUncased();
  return (l) => (o.ids ? t.encode(l).ids : t.encode(l).tokens);
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
    const fromArgs = o.text.length > 0;
    const text = fromArgs
      ? o.text.join(' ')
      : decodeUtf8(o.file ? readFileSync(o.file) : readFileSync(0), o.file ?? 'stdin');
    const tokenizeLine = lineTokenizer(o);
    const lines = text.split(/\r?\n/).filter((line) => fromArgs || line.trim() !== '');
    const tokens = lines.map(tokenizeLine);
    return { lines: tokens.map((t) => t.join(' ')), data: tokens };
  },
});
