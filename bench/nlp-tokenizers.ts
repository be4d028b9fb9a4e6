/**
 * Tokenizer throughput for `pnpm bench nlp`: dlpipe's English (treebank) and Chinese tokenizers
 * against calling natural / nodejieba directly on the same text, and the BERT WordPiece pipeline
 * against npm `bert-tokenizer`, a WordPiece library for Node. One warm-up pass each (JIT, lazy loading), then the best of
 * `passes`, ours and direct alternating; every pass of ours runs on a tokenizer built for it outside the clock, so the
 * WordPiece word cache starts empty each pass. Rows marked "general paths" run with
 * `fastPaths: false` (no ASCII fast paths, no cache) to show what the fast paths buy.
 *
 *   const rows = benchTokenizers({ passes: 3 });
 */
import { createRequire } from 'node:module';
import {
  bertUncased,
  bertUncasedVocabPath,
  ChineseTokenizer,
  EnglishTokenizer,
  fortunesZh,
  loadJieba,
  loadNatural,
  mobyDick,
} from '@dlpipe/nlp';

export interface TokenizerRow {
  name: string;
  ours: number;
  direct: number;
  /** ours' time / direct's time − 1. */
  overhead: number;
  tokens: number;
}

type Tokenize = (s: string) => readonly unknown[];

/** One timed pass over the lines on a tokenizer `make` builds outside the clock. */
function timed(lines: string[], make: () => Tokenize): { seconds: number; tokens: number } {
  const f = make();
  const t0 = performance.now();
  let tokens = 0;
  for (const l of lines) tokens += f(l).length;
  return { seconds: (performance.now() - t0) / 1000, tokens };
}

/** Best of `passes`, ours and direct alternating pass by pass (a busy machine slows both alike). */
function compare(
  name: string,
  lines: string[],
  ours: () => Tokenize,
  direct: Tokenize,
  passes: number,
): TokenizerRow {
  timed(lines, ours); // warm-up (lazy loading, JIT)
  timed(lines, () => direct);
  const a = { seconds: Number.POSITIVE_INFINITY, tokens: 0 };
  const b = { seconds: Number.POSITIVE_INFINITY, tokens: 0 };
  for (let p = 0; p < passes; p++) {
    for (const [acc, make] of [
      [a, ours],
      [b, () => direct],
    ] as const) {
      const r = timed(lines, make);
      acc.seconds = Math.min(acc.seconds, r.seconds);
      acc.tokens = r.tokens;
    }
  }
  return {
    name,
    ours: a.tokens / a.seconds,
    direct: b.tokens / b.seconds,
    overhead: a.seconds / b.seconds - 1,
    tokens: a.tokens,
  };
}

/**
 * The library to beat for WordPiece: npm `bert-tokenizer` (a trie-based BertTokenizer with its own
 * bert-base-uncased vocab), as a user in Node would call it. Its output differs from HF's on
 * punctuation and Unicode (ours matches HF; see hf-wordpiece.test.ts): only speed is compared.
 */
function bertTokenizerLibrary(): (s: string) => number[] {
  const require = createRequire(new URL('../packages/nlp/package.json', import.meta.url));
  const { BertTokenizer } = require('bert-tokenizer') as {
    BertTokenizer: new (vocab?: string, lower?: boolean) => { tokenize(s: string): number[] };
  };
  const t = new BertTokenizer(undefined, true);
  return (s) => t.tokenize(s);
}

export function benchTokenizers(options: { passes: number; chars: number }): TokenizerRow[] {
  const en = mobyDick()
    .slice(0, options.chars)
    .split('\n')
    .filter((l) => l.trim() !== '');
  const zh = fortunesZh('tang300').map((p) => p.replace(/\s+/g, ''));
  const natural = loadNatural();
  const treebank = new natural.TreebankWordTokenizer();
  const jieba = loadJieba();
  const vocabFile = bertUncasedVocabPath();
  const library = bertTokenizerLibrary();
  const english = (fastPaths: boolean) => () => {
    const t = new EnglishTokenizer({ kind: 'treebank', fastPaths });
    return (s: string) => t.tokenize(s);
  };
  const wordpiece = (fastPaths: boolean) => () => {
    const t = bertUncased({ vocabFile, fastPaths });
    return (s: string) => t.tokenize(s);
  };
  const chinese = new ChineseTokenizer();
  const direct = (s: string) => treebank.tokenize(s);
  const passes = options.passes;
  return [
    compare('English treebank (natural)', en, english(true), direct, passes),
    compare('  general paths', en, english(false), direct, passes),
    compare(
      'Chinese precise (nodejieba)',
      zh,
      () => (s) => chinese.tokenize(s),
      (s) => jieba.cut(s, true),
      passes,
    ),
    compare('WordPiece vs npm bert-tokenizer', en, wordpiece(true), library, passes),
    compare('  general paths, no cache', en, wordpiece(false), library, passes),
  ];
}
