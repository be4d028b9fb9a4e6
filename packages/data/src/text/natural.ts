/**
 * The parts of `natural` dlpipe uses, loaded by their own module paths so that natural's index
 * (which pulls in dotenv and prints banners) never runs: Porter and Lancaster stemmers, the noun
 * inflector (plural → singular, our lemmatizer), English stop words, the naive Bayes classifier.
 *
 *   naturalStemmer('porter')('running')  // 'run'
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Stemmer {
  stem(token: string): string;
}

/** natural's BayesClassifier, as far as dlpipe uses it. */
export interface NaturalBayes {
  addDocument(doc: string | string[], label: string): void;
  train(): void;
  classifier: {
    classFeatures: Record<string, Record<string, number>>;
    classTotals: Record<string, number>;
    totalExamples: number;
    smoothing: number;
  };
  textToFeatures(doc: string | string[]): number[];
}

export type StemmerName = 'porter' | 'lancaster';

/** A stemming function by name. */
export function naturalStemmer(name: StemmerName): (token: string) => string {
  const s = require(`natural/lib/natural/stemmers/${name}_stemmer`) as Stemmer;
  return (t) => s.stem(t);
}

/** Singular form of an English noun ('geese' → 'goose'); other words unchanged. */
export function naturalSingularize(): (token: string) => string {
  const NounInflector = require('natural/lib/natural/inflectors/noun_inflector') as new () => {
    singularize(w: string): string;
  };
  const inf = new NounInflector();
  return (t) => inf.singularize(t);
}

/** natural's English stop words. */
export function englishStopWords(): Set<string> {
  return new Set((require('natural/lib/natural/util/stopwords') as { words: string[] }).words);
}

/** A new natural BayesClassifier (Laplace smoothing `smoothing`, default 1). */
export function naturalBayes(smoothing?: number): NaturalBayes {
  const Bayes = require('natural/lib/natural/classifiers/bayes_classifier') as new (
    stemmer?: unknown,
    smoothing?: number,
  ) => NaturalBayes;
  return new Bayes(undefined, smoothing);
}
