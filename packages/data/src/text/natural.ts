/**
 * The one wrapper of `natural` in dlpipe: the parts dlpipe uses (word, Treebank, word-punct and
 * regexp tokenizers; Porter and Lancaster stemmers; the noun inflector, our lemmatizer; English
 * stop words), each loaded by its own module path so that natural's index (which pulls in dotenv
 * and prints banners) never runs. Typed here: natural's own declarations re-export `.ts` sources
 * that do not compile under this repository's strict settings.
 *
 *   naturalStemmer('porter')('running')                          // 'run'
 *   new (loadNatural().TreebankWordTokenizer)().tokenize("Don't") // ['Do', "n't"]
 */
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A natural tokenizer. */
export interface NaturalTokenizer {
  tokenize(text: string): string[];
}

/** A natural stemmer. `tokenizeAndStem` lowercases, splits on non-word characters, drops stop words (unless `keepStops`) and stems. */
export interface NaturalStemmer {
  stem(token: string): string;
  tokenizeAndStem(text: string, keepStops?: boolean): string[];
}

/** The part of `natural` dlpipe uses. */
export interface NaturalModule {
  RegexpTokenizer: new (options: { pattern: RegExp; gaps?: boolean }) => NaturalTokenizer;
  TreebankWordTokenizer: new () => NaturalTokenizer;
  WordPunctTokenizer: new () => NaturalTokenizer;
  PorterStemmer: NaturalStemmer;
  LancasterStemmer: NaturalStemmer;
  NounInflector: new () => { singularize(word: string): string };
  /** natural's English stop words. */
  stopWords: readonly string[];
}

let cached: NaturalModule | undefined;

/**
 * One natural module by its path under `natural/lib/natural/`, required by its real path: under
 * tsx's resolver a module required through pnpm's symlink keeps the symlinked name, and its own
 * `require('underscore')` then looks beside the symlink and fails.
 */
function part<T>(path: string): T {
  return require(realpathSync(require.resolve(`natural/lib/natural/${path}`))) as T;
}

/** The parts of `natural` dlpipe uses, loaded once (natural's index and its dotenv never run). */
export function loadNatural(): NaturalModule {
  if (cached) return cached;
  const regexp = part<Pick<NaturalModule, 'RegexpTokenizer' | 'WordPunctTokenizer'>>(
    'tokenizers/regexp_tokenizer',
  );
  cached = {
    RegexpTokenizer: regexp.RegexpTokenizer,
    WordPunctTokenizer: regexp.WordPunctTokenizer,
    TreebankWordTokenizer: part('tokenizers/treebank_word_tokenizer'),
    PorterStemmer: part('stemmers/porter_stemmer'),
    LancasterStemmer: part('stemmers/lancaster_stemmer'),
    NounInflector: part('inflectors/noun_inflector'),
    stopWords: part<{ words: string[] }>('util/stopwords').words,
  };
  return cached;
}

export type StemmerName = 'porter' | 'lancaster';

/** A stemming function by name. */
export function naturalStemmer(name: StemmerName): (token: string) => string {
  const natural = loadNatural();
  const s = name === 'porter' ? natural.PorterStemmer : natural.LancasterStemmer;
  return (t) => s.stem(t);
}

/** Singular form of an English noun ('geese' → 'goose'); other words unchanged. */
export function naturalSingularize(): (token: string) => string {
  const inf = new (loadNatural().NounInflector)();
  return (t) => inf.singularize(t);
}

/** natural's English stop words. */
export function englishStopWords(): Set<string> {
  return new Set(loadNatural().stopWords);
}

/** natural's classifier features of a text: lowercase, split on non-word characters, drop stop words, Porter-stem. */
export function naturalTokenizeAndStem(text: string): string[] {
  return loadNatural().PorterStemmer.tokenizeAndStem(text);
}
