/**
 * Post-processors (add special tokens, type ids) and decoders (tokens back to text), the last
 * pipeline stages, as HF tokenizers' `BertProcessing` and `WordPiece` decoder.
 *
 *   new BertProcessing().process(['hi'], ['there']) // tokens [CLS] hi [SEP] there [SEP], typeIds 0 0 0 1 1
 */

export interface Processed {
  tokens: string[];
  typeIds: number[];
}

export interface PostProcessor {
  process(a: string[], b?: string[]): Processed;
}

export interface BertProcessingOptions {
  /** Default '[CLS]'. */
  cls?: string;
  /** Default '[SEP]'. */
  sep?: string;
}

/** `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]` with type ids 0…0 1…1. */
export class BertProcessing implements PostProcessor {
  readonly cls: string;
  readonly sep: string;
  constructor(options: BertProcessingOptions = {}) {
    this.cls = options.cls ?? '[CLS]';
    this.sep = options.sep ?? '[SEP]';
  }
  process(a: string[], b?: string[]): Processed {
    const tokens = [this.cls, ...a, this.sep];
    const typeIds = tokens.map(() => 0);
    if (b) {
      tokens.push(...b, this.sep);
      typeIds.push(...b.map(() => 1), 1);
    }
    return { tokens, typeIds };
  }
}

/** Adds nothing. */
export class NoopProcessing implements PostProcessor {
  process(a: string[], b?: string[]): Processed {
    const tokens = [...a, ...(b ?? [])];
    return { tokens, typeIds: [...a.map(() => 0), ...(b ?? []).map(() => 1)] };
  }
}

export interface Decoder {
  decode(tokens: readonly string[]): string;
}

/** Joins WordPiece tokens: `##` pieces glue to the previous one, others get a space (HF cleanup). */
export class WordPieceDecoder implements Decoder {
  constructor(readonly prefix = '##') {}
  decode(tokens: readonly string[]): string {
    let out = '';
    for (const t of tokens) {
      if (t.startsWith(this.prefix)) out += t.slice(this.prefix.length);
      else out += out === '' ? t : ` ${t}`;
    }
    return out.replace(/ ([.?!,]|n't|'m|'s|'ve|'re)/g, '$1').replace(/ ' /g, "'");
  }
}

export const POST_PROCESSORS = {
  bert: () => new BertProcessing(),
  none: () => new NoopProcessing(),
} as const satisfies Record<string, () => PostProcessor>;
