/**
 * The baseline: `natural`'s multinomial naive Bayes (`BayesClassifier`) on the same tokens as
 * the neural classifiers (natural's own tokenizer and stemmer are bypassed by passing token lists).
 *
 *   const nb = NaiveBayesBaseline.train(ds.train.tokens, labels);
 *   nb.predict([['great', 'phone']]); // [1]
 */
import { ModelUseError } from '../errors.js';
import { loadNatural, type NaturalBayesClassifier } from '../tokenize/natural-loader.js';

export class NaiveBayesBaseline {
  private constructor(private readonly nb: NaturalBayesClassifier) {}

  /** Trains on token lists and integer labels. */
  static train(tokens: readonly (readonly string[])[], labels: readonly number[]): NaiveBayesBaseline {
    if (tokens.length !== labels.length || tokens.length === 0) {
      throw new ModelUseError(
        `naive Bayes needs one label per sentence; received ${tokens.length} sentences and ${labels.length} labels.`,
      );
    }
    const nb = new (loadNatural().BayesClassifier)();
    tokens.forEach((t, i) => {
      nb.addDocument([...t], String(labels[i]));
    });
    nb.train();
    return new NaiveBayesBaseline(nb);
  }

  /** The most probable label of each token list. */
  predict(tokens: readonly (readonly string[])[]): number[] {
    return tokens.map((t) => Number(this.nb.classify([...t])));
  }
}
