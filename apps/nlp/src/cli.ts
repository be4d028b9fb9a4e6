/**
 * `dlpipe-nlp` (`pnpm nlp …`): tokenize, build vocabularies, train and sample language models
 * (n-gram, RNN/GRU/LSTM), train and run sentiment classifiers; commands from an explicit registry,
 * each loaded only when chosen (so `--help` and typos answer before TensorFlow.js loads).
 *
 *   pnpm nlp tokenize --lang zh "我来到北京清华大学"
 */
import { type CommandEntry, lazy, runCli } from '@dlpipe/core';

export const COMMANDS: Record<string, CommandEntry> = {
  tokenize: lazy(
    'print the tokens of text (English, Chinese or BERT WordPiece)',
    async () => (await import('./commands/tokenize.js')).tokenize,
  ),
  vocab: lazy(
    'build a vocabulary with frequency stats and a Zipf plot',
    async () => (await import('./commands/vocab.js')).vocab,
  ),
  lm: lazy(
    'train or sample an n-gram or RNN/GRU/LSTM language model',
    async () => (await import('./commands/lm.js')).lm,
  ),
  classify: lazy(
    'train a sentiment classifier (TextCNN, BiRNN) or label texts with one',
    async () => (await import('./commands/classify.js')).classify,
  ),
  pairs: lazy(
    'build en–fr / en–zh sentence pairs from gettext catalogs',
    async () => (await import('./commands/pairs.js')).pairs,
  ),
  bleu: lazy(
    'corpus BLEU of a hypothesis file against reference files (sacreBLEU-compatible)',
    async () => (await import('./commands/bleu.js')).bleu,
  ),
  seq2seq: lazy(
    'train a translation model (GRU, Bahdanau, Transformer) or score one with BLEU',
    async () => (await import('./commands/seq2seq.js')).seq2seq,
  ),
  translate: lazy(
    'translate English sentences with a trained seq2seq model',
    async () => (await import('./commands/translate.js')).translate,
  ),
  timeseries: lazy(
    'forecast a series with an autoregressive MLP: 1-step vs k-step-ahead (d2l §9.1)',
    async () => (await import('./commands/timeseries.js')).timeseries,
  ),
  attention: lazy(
    'Nadaraya–Watson attention pooling on d2l’s toy regression, with attention heatmaps',
    async () => (await import('./commands/attention.js')).attention,
  ),
};

runCli('nlp', COMMANDS, process.argv.slice(2));
