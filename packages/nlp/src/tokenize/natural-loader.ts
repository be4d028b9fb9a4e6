/**
 * `natural` for @dlpipe/nlp: the one wrapper lives in @dlpipe/data (each part loaded by its own
 * module path, so natural's index and its dotenv banners never run); re-exported here because
 * nlp's API has always offered it.
 *
 *   const { PorterStemmer } = loadNatural();
 */
export { loadNatural, type NaturalModule, type NaturalTokenizer } from '@dlpipe/data';
