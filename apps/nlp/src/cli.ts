/**
 * `dlpipe-nlp` (`pnpm nlp …`): tokenize, build vocabularies, train and sample language models.
 *
 *   pnpm nlp tokenize --lang zh "我来到北京清华大学"
 */
import { DlpipeError } from '@dlpipe/tensor';
import { lmCommand } from './commands/lm.js';
import { TOKENIZE_USAGE, tokenizeCommand } from './commands/tokenize.js';
import { vocabCommand } from './commands/vocab.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  tokenize: tokenizeCommand,
  vocab: vocabCommand,
  lm: lmCommand,
};

export const USAGE = `usage: pnpm nlp <command> [options]

commands:
  tokenize   ${TOKENIZE_USAGE.replace('usage: pnpm nlp tokenize ', '')}
  vocab build [--corpus moby-dick|uci|fortunes-zh] [--level word|char] [--min-freq N] [--out DIR]
  lm train|generate --model ngram [--n 1-3] [--smoothing kneser-ney|add-k] [--prefix TEXT]
`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || rest.includes('--help')) {
    console.log(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  const run = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!run) {
    console.error(
      `dlpipe-nlp: unknown command '${cmd}'; known: ${Object.keys(COMMANDS).join(', ')}\n\n${USAGE}`,
    );
    return 2;
  }
  return run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`dlpipe-nlp: ${msg}`);
    if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    process.exit(err instanceof DlpipeError ? 2 : 1);
  },
);
