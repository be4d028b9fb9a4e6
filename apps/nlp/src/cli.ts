/**
 * `dlpipe-nlp` (`pnpm nlp …`): tokenize, build vocabularies, train and sample language models
 * (n-gram, RNN/GRU/LSTM), train and run sentiment classifiers; commands from an explicit registry,
 * argument parsing and error reporting from @dlpipe/tensor's `parseCommandArgs` and `runCli`.
 *
 *   pnpm nlp tokenize --lang zh "我来到北京清华大学"
 */
import { type Command, runCli } from '@dlpipe/tensor';
import { classify } from './commands/classify.js';
import { lm } from './commands/lm.js';
import { tokenize } from './commands/tokenize.js';
import { vocab } from './commands/vocab.js';

export const COMMANDS: Record<string, Command> = { tokenize, vocab, lm, classify };

runCli('nlp', COMMANDS, process.argv.slice(2));
