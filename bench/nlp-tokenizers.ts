/**
 * Tokenizer throughput for `pnpm bench nlp`: dlpipe's English (treebank) and Chinese tokenizers
 * against calling natural / nodejieba directly on the same text, and the BERT WordPiece pipeline
 * against a plain reference loop (lowercase, accent strip, split on whitespace/punctuation,
 * greedy longest match on a Set). One warm-up pass each (JIT, lazy loading), then the best of
 * `passes`, ours and direct alternating; every pass of ours runs on a tokenizer built for it outside the clock, so the
 * WordPiece word cache starts empty each pass. Rows marked "general paths" run with
 * `fastPaths: false` (no ASCII fast paths, no cache) to show what the fast paths buy.
 *
 *   const rows = benchTokenizers({ passes: 3 });
 */
import {
  bertUncased,
  bertUncasedVocabPath,
  ChineseTokenizer,
  EnglishTokenizer,
  fortunesZh,
  loadJieba,
  loadNatural,
  mobyDick,
  readVocabTxt,
} from '@dlpipe/nlp';

export interface TokenizerRow {
  name: string;
  ours: number;
  direct: number;
  /** ours' time / direct's time − 1. */
  overhead: number;
  tokens: number;
}

type Tokenize = (s: string) => string[];

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

/** The plain WordPiece reference: BERT's basic tokenizer + greedy longest-match-first. */
function referenceWordPiece(vocab: Set<string>): (s: string) => string[] {
  return (text) => {
    const words =
      text
        .toLowerCase()
        .normalize('NFD')
        .replace(/\p{Mn}/gu, '')
        .match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];
    const out: string[] = [];
    for (const w of words) {
      const chars = Array.from(w);
      if (chars.length > 100) {
        out.push('[UNK]');
        continue;
      }
      const pieces: string[] = [];
      let start = 0;
      while (start < chars.length) {
        let end = chars.length;
        let cur: string | undefined;
        while (start < end) {
          const s = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
          if (vocab.has(s)) {
            cur = s;
            break;
          }
          end--;
        }
        if (!cur) {
          pieces.length = 0;
          pieces.push('[UNK]');
          break;
        }
        pieces.push(cur);
        start = end;
      }
      out.push(...pieces);
    }
    return out;
  };
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
  const reference = referenceWordPiece(new Set(readVocabTxt(vocabFile)));
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
    compare('WordPiece bert-base-uncased', en, wordpiece(true), reference, passes),
    compare('  general paths, no cache', en, wordpiece(false), reference, passes),
  ];
}
