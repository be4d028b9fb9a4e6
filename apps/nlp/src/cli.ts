/**
 * `dlpipe-nlp` (`pnpm nlp …`): tokenize, build vocabularies, train and sample language models
 * (n-gram, RNN/GRU/LSTM), train and run sentiment classifiers.
 *
 *   pnpm nlp tokenize --lang zh "我来到北京清华大学"
 */
import { DlpipeError } from '@dlpipe/tensor';
import { classifyCommand } from './commands/classify.js';
import { lmCommand } from './commands/lm.js';
import { TOKENIZE_USAGE, tokenizeCommand } from './commands/tokenize.js';
import { vocabCommand } from './commands/vocab.js';

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  tokenize: tokenizeCommand,
  vocab: vocabCommand,
  lm: lmCommand,
  classify: classifyCommand,
};

export const USAGE = `usage: pnpm nlp <command> [options]

commands:
  tokenize   ${TOKENIZE_USAGE.replace('usage: pnpm nlp tokenize ', '')}
  vocab build [--corpus moby-dick|uci|fortunes-zh] [--level word|char] [--min-freq N] [--out DIR]
  lm train|generate --model ngram [--n 1-3] [--smoothing kneser-ney|add-k] [--prefix TEXT]
  lm train|generate --model gru|lstm|rnn [--impl layers|scratch] [--num-hiddens 256] [--num-layers 1]
                    [--bidirectional] [--epochs 1] [--batch-size 32] [--num-steps 35] [--optimizer adam|sgd]
                    [--lr 0.005] [--clip-norm 1] [--max-chars N] [--max-steps N] [--resume]
                    [--prefix TEXT] [--num-preds 50] [--out runs/lm-<model>]
  classify train --model textcnn|birnn [--epochs 5] [--batch-size 64] [--lr 0.001] [--num-steps 40]
                 [--embed-size 100] [--num-hiddens 100] [--num-layers 2] [--seed 0] [--out runs/classify-<model>]
  classify predict --model textcnn|birnn [--out DIR] TEXT...
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
