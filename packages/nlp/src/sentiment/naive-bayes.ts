/**
 * The sentiment baseline: @dlpipe/data's `NaiveBayesText` (natural's multinomial naive Bayes
 * model) on the same token lists as the neural classifiers, with nlp's error for a label count
 * that does not match.
 *
 *   const nb = NaiveBayesBaseline.train(ds.train.tokens, labels);
 *   nb.predict([['great', 'phone']]); // [1]
 */
import { NaiveBayesText } from '@dlpipe/data';
import { ModelUseError } from '../errors.js';

export class NaiveBayesBaseline extends NaiveBayesText<readonly string[]> {
  /** Trains on token lists and integer labels. */
  static train(tokens: readonly (readonly string[])[], labels: readonly number[]): NaiveBayesBaseline {
    if (tokens.length !== labels.length || tokens.length === 0) {
      throw new ModelUseError(
        `naive Bayes needs one label per sentence; received ${tokens.length} sentences and ${labels.length} labels.`,
      );
    }
    return new NaiveBayesBaseline().fit(tokens, labels);
  }
}
