/**
 * Naive Bayes for text as a self-training base classifier: @dlpipe/data's `NaiveBayesText`
 * (natural's model, Porter-stemmed word presence, log-space probabilities), which already has
 * the classifier contract (`fit`, `predictProba`, `classes`, `clone`).
 *
 *   const nb = new NaiveBayesText();
 *   nb.fit(['great movie', 'awful plot'], [1, 0]);  nb.predictProba(['a great plot']);
 */
export { NaiveBayesText, type NaiveBayesTextOptions } from '@dlpipe/data';
