/**
 * `pnpm nlp tokenize --lang en|zh|wordpiece [--kind treebank] [--mode precise] [--ids] [TEXT | --file F]`:
 * prints one line of tokens (space-separated; JSON with --json) per input line.
 *
 *   pnpm nlp tokenize --lang wordpiece --ids "Hello, world!"   # 101 7592 1010 2088 999 102
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  bertUncased,
  CHINESE_MODES,
  ChineseTokenizer,
  decodeUtf8,
  ENGLISH_KINDS,
  EnglishTokenizer,
} from '@dlpipe/nlp';
import { z } from 'zod';
import { parseOrThrow } from '../options.js';

const schema = z.object({
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

export const TOKENIZE_USAGE = `usage: pnpm nlp tokenize [--lang en|zh|wordpiece] [--kind ${ENGLISH_KINDS.join('|')}]
       [--mode ${CHINESE_MODES.join('|')}] [--user-dict F] [--lowercase] [--nfkc] [--strip-accents] [--stem]
       [--ids] [--json] [TEXT | --file F | stdin]`;

export async function tokenizeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: Object.fromEntries(
      ['lang', 'kind', 'mode', 'file', 'user-dict']
        .map((k) => [k, { type: 'string' }])
        .concat(
          ['lowercase', 'nfkc', 'strip-accents', 'stem', 'ids', 'json'].map((k) => [k, { type: 'boolean' }]),
        ),
    ) as Record<string, { type: 'string' | 'boolean' }>,
  });
  const o = parseOrThrow(schema, values, 'tokenize');
  const text =
    positionals.length > 0
      ? positionals.join(' ')
      : decodeUtf8(o.file ? readFileSync(o.file) : readFileSync(0), o.file ?? 'stdin');
  const norm = { lowercase: o.lowercase, nfkc: o.nfkc, stripAccents: o['strip-accents'] };
  let run: (line: string) => Array<string | number>;
  if (o.lang === 'en') {
    const t = new EnglishTokenizer({ kind: o.kind, stem: o.stem, ...norm });
    run = (l) => t.tokenize(l);
  } else if (o.lang === 'zh') {
    const t = new ChineseTokenizer({
      mode: o.mode,
      ...(o['user-dict'] && { userDict: o['user-dict'] }),
      ...norm,
    });
    run = (l) => t.tokenize(l);
  } else {
    const t = bertUncased();
    run = (l) => (o.ids ? t.encode(l).ids : t.encode(l).tokens);
  }
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' && positionals.length === 0) continue;
    const out = run(line);
    process.stdout.write(`${o.json ? JSON.stringify(out) : out.join(' ')}\n`);
  }
  return 0;
}
