/**
 * The CLI's corpora as token lists: Moby-Dick (d2l's preprocessing: letters only, lowercase),
 * the UCI sentences (treebank, lowercase), Chinese fortunes (jieba).
 *
 *   corpusTokens('moby-dick', 'char')
 */
import {
  ChineseTokenizer,
  EnglishTokenizer,
  fortunesZh,
  lettersOnly,
  mobyDick,
  uciSentences,
} from '@dlpipe/nlp';

export const CORPORA = ['moby-dick', 'uci', 'fortunes-zh'] as const;
export type CorpusName = (typeof CORPORA)[number];

/** Sentences (lists of tokens) of a corpus. */
export function corpusSentences(name: CorpusName, level: 'word' | 'char'): string[][] {
  if (name === 'moby-dick') {
    const lines = mobyDick()
      .split(/\n+/)
      .map(lettersOnly)
      .filter((l) => l !== '');
    return lines.map((l) => (level === 'char' ? Array.from(l) : l.split(' ')));
  }
  if (name === 'uci') {
    const en = new EnglishTokenizer({ kind: level === 'char' ? 'char' : 'treebank', lowercase: true });
    return uciSentences().map((s) => en.tokenize(s.text));
  }
  const zh = new ChineseTokenizer();
  return fortunesZh('tang300').map((p) =>
    level === 'char' ? Array.from(p.replace(/\s+/g, '')) : zh.tokenize(p),
  );
}

/** All tokens of a corpus in order. */
export function corpusTokens(name: CorpusName, level: 'word' | 'char'): string[] {
  return corpusSentences(name, level).flat();
}
