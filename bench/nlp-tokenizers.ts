/**
 * Tokenizer throughput for `pnpm bench nlp`: dlpipe's English (treebank) and Chinese tokenizers
 * against calling natural / nodejieba directly on the same text, and the BERT WordPiece pipeline
 * against a plain reference loop (lowercase, accent strip, split on whitespace/punctuation,
 * greedy longest match on a Set). Best of `passes` runs each, alternating.
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

function best(fn: () => number, passes: number): { seconds: number; tokens: number } {
  let seconds = Number.POSITIVE_INFINITY;
  let tokens = 0;
  for (let p = 0; p < passes; p++) {
    const t0 = performance.now();
    tokens = fn();
    seconds = Math.min(seconds, (performance.now() - t0) / 1000);
  }
  return { seconds, tokens };
}

function compare(
  name: string,
  lines: string[],
  ours: (s: string) => string[],
  direct: (s: string) => string[],
  passes: number,
): TokenizerRow {
  const run = (f: (s: string) => string[]) => () => lines.reduce((n, l) => n + f(l).length, 0);
  best(run(ours), 1); // warm-up (lazy loading, JIT)
  best(run(direct), 1);
  const a = best(run(ours), passes);
  const b = best(run(direct), passes);
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
  const bert = bertUncased();
  const vocab = new Set(readVocabTxt(bertUncasedVocabPath()));
  return [
    compare(
      'English treebank (natural)',
      en,
      (
        (t) => (s: string) =>
          t.tokenize(s)
      )(new EnglishTokenizer({ kind: 'treebank' })),
      (s) => treebank.tokenize(s),
      options.passes,
    ),
    compare(
      'Chinese precise (nodejieba)',
      zh,
      (
        (t) => (s: string) =>
          t.tokenize(s)
      )(new ChineseTokenizer()),
      (s) => jieba.cut(s, true),
      options.passes,
    ),
    compare(
      'WordPiece bert-base-uncased',
      en,
      (s) => bert.tokenize(s),
      referenceWordPiece(vocab),
      options.passes,
    ),
  ];
}
