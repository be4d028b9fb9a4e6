/**
 * Text preprocessing as in d2l's text chapters: lowercase, split into words or characters, drop
 * stop words, stem (Porter / Lancaster, natural) or lemmatize (nouns to the singular, natural's
 * inflector), as plain functions and as a saveable `TextTransformer` over string columns.
 *
 *   tokenize('The cats were Running', { stem: 'porter' })   // ['the', 'cat', 'were', 'run']
 *   tokenize('abc', { split: 'chars' })                       // ['a', 'b', 'c']
 */
import { type Column, isMissing } from '../table/column.js';
import type { Table } from '../table/table.js';
import { StatelessTransformer } from '../transforms/stateless-transformer.js';
import { englishStopWords, naturalSingularize, naturalStemmer, type StemmerName } from './natural.js';

export interface TokenizeOptions {
  /** Default true. */
  lowercase?: boolean;
  /** Words (letters/digits runs, apostrophes kept inside) or characters. Default 'words'. */
  split?: 'words' | 'chars';
  /** Stem each word. Default none. */
  stem?: StemmerName;
  /** English nouns to their singular (natural's NounInflector). Default false. */
  lemmatize?: boolean;
  /** Drop these words ('english': natural's list). Default none. */
  stopWords?: 'english' | string[];
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** Splits into word tokens (Unicode letters and digits). */
export function splitWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Splits into characters (code points, so emoji and accents stay whole). */
export function splitChars(text: string): string[] {
  return Array.from(text);
}

/** A tokenizer function for a set of options (stemmers and stop words loaded once). */
export function makeTokenizer(o: TokenizeOptions = {}): (text: string) => string[] {
  const stem = o.stem ? naturalStemmer(o.stem) : undefined;
  const lemma = o.lemmatize ? naturalSingularize() : undefined;
  const stops =
    o.stopWords === 'english' ? englishStopWords() : o.stopWords ? new Set(o.stopWords) : undefined;
  return (text) => {
    const t = o.lowercase === false ? text : text.toLowerCase();
    if (o.split === 'chars') return splitChars(t);
    let words = splitWords(t);
    if (stops) words = words.filter((w) => !stops.has(w));
    if (lemma) words = words.map(lemma);
    if (stem) words = words.map(stem);
    return words;
  };
}

/** Tokens of one text. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  return makeTokenizer(options)(text);
}

export interface TextTransformerOptions extends TokenizeOptions {
  /** String columns to process. Default: every string column. */
  columns?: string[];
  /** Joins the tokens of each cell. Default ' ' (words) or '' (chars). */
  joiner?: string;
}

/** Replaces each text cell by its processed tokens, joined. Stateless: fit only records columns. */
export class TextTransformer extends StatelessTransformer<TextTransformerOptions> {
  readonly kind = 'TextTransformer';
  private readonly tok: (text: string) => string[];
  constructor(readonly config: TextTransformerOptions = {}) {
    super(['text']);
    this.tok = makeTokenizer(config);
  }

  transform(table: Table): Table {
    const columns = this.columnsIn(table);
    const joiner = this.config.joiner ?? (this.config.split === 'chars' ? '' : ' ');
    let out = table;
    for (const name of columns) {
      const col = table.column(name);
      const texts = table.strings(name);
      const data = texts.map((t, i) =>
        isMissing(col as Column, i) || t === null ? null : this.tok(t).join(joiner),
      );
      out = out.withColumn({ name, dtype: 'string', data });
    }
    return out;
  }
}
