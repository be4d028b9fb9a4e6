/**
 * `pnpm nlp tokenize --lang en|zh|wordpiece [--kind treebank] [--mode precise] [--ids] [TEXT | --file F]`:
 * prints one line of tokens (space-separated; JSON with --json) per input line.
 *
 *   pnpm nlp tokenize --lang wordpiece --ids "Hello, world!"   # 101 7592 1010 2088 999 102
 */
import { readFileSync } from 'node:fs';
import {
  bertUncased,
  CHINESE_MODES,
  ChineseTokenizer,
  decodeUtf8,
  ENGLISH_KINDS,
  EnglishTokenizer,
} from '@dlpipe/nlp';
import { type Command, parseCommandArgs } from '@dlpipe/tensor';
import { z } from 'zod';

const USAGE = `usage: pnpm nlp tokenize [--lang en|zh|wordpiece] [--kind ${ENGLISH_KINDS.join('|')}]
       [--mode ${CHINESE_MODES.join('|')}] [--user-dict F] [--lowercase] [--nfkc] [--strip-accents] [--stem]
       [--ids] [--json] [TEXT | --file F | stdin]

Prints the tokens of each input line (ids with --lang wordpiece --ids; a JSON array per line with --json).`;

const schema = z.object({
  _: z.array(z.string()),
  lang: z.enum(['en', 'zh', 'wordpiece']).default('en'),
  kind: z.enum(ENGLISH_KINDS).default('treebank'),
  mode: z.enum(CHINESE_MODES).default('precise'),
  lowercase: z.boolean().default(false),
  nfkc: z.boolean().default(false),
  'strip-accents': z.boolean().default(false),
  stem: z.boolean().default(false),
  ids: z.boolean().default(false),
  json: z.boolean().default(false),
  file: z.string().optional(),
  'user-dict': z.string().optional(),
});
type Options = z.output<typeof schema>;

const OPTIONS = {
  ...Object.fromEntries(['lang', 'kind', 'mode', 'file', 'user-dict'].map((k) => [k, { type: 'string' }])),
  ...Object.fromEntries(
    ['lowercase', 'nfkc', 'strip-accents', 'stem', 'ids', 'json'].map((k) => [k, { type: 'boolean' }]),
  ),
} as Record<string, { type: 'string' | 'boolean' }>;

/** The tokenizer the options ask for, as one function per line. */
function lineTokenizer(o: Options): (line: string) => Array<string | number> {
  const norm = { lowercase: o.lowercase, nfkc: o.nfkc, stripAccents: o['strip-accents'] };
  if (o.lang === 'en') {
    const t = new EnglishTokenizer({ kind: o.kind, stem: o.stem, ...norm });
    return (l) => t.tokenize(l);
  }
  if (o.lang === 'zh') {
    const t = new ChineseTokenizer({
      mode: o.mode,
      ...(o['user-dict'] && { userDict: o['user-dict'] }),
      ...norm,
    });
    return (l) => t.tokenize(l);
  }
  const t = bertUncased();
  return (l) => (o.ids ? t.encode(l).ids : t.encode(l).tokens);
}

export const tokenize: Command = {
  summary: 'print the tokens of text (English, Chinese or BERT WordPiece)',
  usage: USAGE,
  async run(argv) {
    const o = parseCommandArgs(argv, OPTIONS, schema, USAGE);
    const text =
      o._.length > 0
        ? o._.join(' ')
        : decodeUtf8(o.file ? readFileSync(o.file) : readFileSync(0), o.file ?? 'stdin');
    const run = lineTokenizer(o);
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === '' && o._.length === 0) continue;
      const out = run(line);
      process.stdout.write(`${o.json ? JSON.stringify(out) : out.join(' ')}\n`);
    }
    return 0;
  },
};
