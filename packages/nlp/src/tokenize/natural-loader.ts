/**
 * Loads `natural` lazily and quietly: it pulls in dotenv, whose "injected env" banners would
 * otherwise reach stdout, so DOTENV_CONFIG_QUIET is set before the first require.
 *
 *   const { PorterStemmer } = loadNatural();
 */
import { createRequire } from 'node:module';

/** A natural tokenizer. */
export interface NaturalTokenizer {
  tokenize(text: string): string[];
}

/** natural's multinomial naive Bayes. */
export interface NaturalBayesClassifier {
  addDocument(tokens: string[] | string, label: string): void;
  train(): void;
  classify(tokens: string[] | string): string;
  getClassifications(tokens: string[] | string): Array<{ label: string; value: number }>;
}

/**
 * The part of `natural` dlpipe uses, typed here: natural's own declarations re-export `.ts`
 * sources that do not compile under this repository's strict settings.
 */
export interface NaturalModule {
  RegexpTokenizer: new (options: { pattern: RegExp; gaps?: boolean }) => NaturalTokenizer;
  TreebankWordTokenizer: new () => NaturalTokenizer;
  WordPunctTokenizer: new () => NaturalTokenizer;
  PorterStemmer: { stem(word: string): string };
  BayesClassifier: new () => NaturalBayesClassifier;
}

let cached: NaturalModule | undefined;

/** The `natural` module, loaded once with dotenv silenced. */
export function loadNatural(): NaturalModule {
  if (cached) return cached;
  if (!process.env.DOTENV_CONFIG_QUIET) process.env.DOTENV_CONFIG_QUIET = 'true';
  const require = createRequire(import.meta.url);
  cached = require('natural') as NaturalModule;
  return cached;
}
