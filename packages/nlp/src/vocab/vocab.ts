/**
 * d2l's `Vocab`: tokens sorted by frequency (ties by first appearance), reserved tokens first,
 * tokens below `minFreq` mapped to `<unk>`; token↔index, save/load as JSON, frequency stats.
 *
 *   const vocab = Vocab.build(tokens, { minFreq: 2, reserved: ['<pad>', '<bos>', '<eos>'] });
 *   vocab.indicesOf(['the', 'whale']); vocab.save('runs/vocab.json');
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { VocabError } from '../errors.js';
import { vocabFingerprint } from '../wordpiece/vocab-file.js';

export const UNK = '<unk>';

export interface VocabOptions {
  /** Tokens seen fewer times are dropped (→ <unk>). Default 1. */
  minFreq?: number;
  /** Tokens placed right after <unk>, e.g. ['<pad>', '<bos>', '<eos>']. Default none. */
  reserved?: readonly string[];
  /** Keep at most this many tokens (specials included). Default: all. */
  maxSize?: number;
}

const savedSchema = z.object({
  format: z.literal('dlpipe-vocab-1'),
  tokens: z.array(z.string()).min(1),
  counts: z.array(z.number().int().nonnegative()),
  fingerprint: z.string(),
});

/** Token frequencies of a token stream (or of a list of token lists). */
export function countTokens(tokens: Iterable<string> | readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens as Iterable<string | readonly string[]>) {
    if (typeof t === 'string') counts.set(t, (counts.get(t) ?? 0) + 1);
    else for (const u of t) counts.set(u, (counts.get(u) ?? 0) + 1);
  }
  return counts;
}

export class Vocab {
  readonly tokens: readonly string[];
  /** Corpus frequency of each token (0 for reserved ones). */
  readonly counts: readonly number[];
  private readonly index = new Map<string, number>();

  constructor(tokens: readonly string[], counts?: readonly number[]) {
    if (tokens[0] !== UNK)
      throw new VocabError(`a Vocab's first token must be '${UNK}', got ${JSON.stringify(tokens[0])}.`);
    this.tokens = tokens;
    this.counts = counts ?? tokens.map(() => 0);
    tokens.forEach((t, i) => {
      if (this.index.has(t))
        throw new VocabError(
          `token ${JSON.stringify(t)} appears twice (indices ${this.index.get(t)} and ${i}).`,
        );
      this.index.set(t, i);
    });
  }

  /** d2l's construction from tokens (flat or nested). */
  static build(tokens: Iterable<string> | readonly (readonly string[])[], options: VocabOptions = {}): Vocab {
    const minFreq = options.minFreq ?? 1;
    const reserved = (options.reserved ?? []).filter((t) => t !== UNK);
    const freq = [...countTokens(tokens)].sort((a, b) => b[1] - a[1]);
    const specials = [UNK, ...new Set(reserved)];
    const taken = new Set(specials);
    const words = freq.filter(([t, c]) => c >= minFreq && !taken.has(t));
    const max = options.maxSize ?? Number.POSITIVE_INFINITY;
    const kept = words.slice(0, Math.max(0, max - specials.length));
    return new Vocab(
      [...specials, ...kept.map(([t]) => t)],
      [...specials.map(() => 0), ...kept.map(([, c]) => c)],
    );
  }

  get size(): number {
    return this.tokens.length;
  }

  /** Index of a token; unknown tokens → index of <unk> (0). */
  indexOf(token: string): number {
    return this.index.get(token) ?? 0;
  }

  indicesOf(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.indexOf(t));
  }

  /** Token at an index; throws for an index outside the vocab. */
  tokenAt(i: number): string {
    const t = this.tokens[i];
    if (t === undefined) throw new VocabError(`index ${i} is outside the vocabulary (0…${this.size - 1}).`);
    return t;
  }

  tokensOf(indices: readonly number[]): string[] {
    return indices.map((i) => this.tokenAt(i));
  }

  has(token: string): boolean {
    return this.index.has(token);
  }

  /** A short hash of the token list (saved with models to detect a mismatched vocab). */
  get fingerprint(): string {
    return vocabFingerprint(this.tokens);
  }

  /** Frequency stats: size, total count, singletons, share covered by the top 10 tokens. */
  stats(): { size: number; total: number; singletons: number; top10Share: number } {
    const total = this.counts.reduce((a, b) => a + b, 0);
    const sorted = [...this.counts].sort((a, b) => b - a);
    const top10 = sorted.slice(0, 10).reduce((a, b) => a + b, 0);
    return {
      size: this.size,
      total,
      singletons: this.counts.filter((c) => c === 1).length,
      top10Share: total ? top10 / total : 0,
    };
  }

  save(path: string): void {
    mkdirSync(dirname(path), { recursive: true });
    const data = {
      format: 'dlpipe-vocab-1',
      tokens: this.tokens,
      counts: this.counts,
      fingerprint: this.fingerprint,
    };
    writeFileSync(path, JSON.stringify(data));
  }

  /** Loads a saved vocab; `expectFingerprint` (e.g. from a model) must match if given. */
  static load(path: string, expectFingerprint?: string): Vocab {
    if (!existsSync(path))
      throw new VocabError(`vocab file ${path} not found; build one with \`pnpm nlp vocab build\`.`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (cause) {
      throw new VocabError(`vocab file ${path} is not valid JSON; it may be truncated. Rebuild it.`, {
        cause,
      });
    }
    const parsed = savedSchema.safeParse(raw);
    if (!parsed.success)
      throw new VocabError(
        `vocab file ${path} is not a dlpipe vocab (expected {format:'dlpipe-vocab-1', tokens, counts}).`,
      );
    const v = new Vocab(parsed.data.tokens, parsed.data.counts);
    if (v.fingerprint !== parsed.data.fingerprint)
      throw new VocabError(
        `vocab file ${path}: tokens do not match its fingerprint; the file was edited or corrupted.`,
      );
    if (expectFingerprint !== undefined && v.fingerprint !== expectFingerprint) {
      throw new VocabError(
        `vocab file ${path} (fingerprint ${v.fingerprint}, ${v.size} tokens) is not the vocab the model was trained with ` +
          `(fingerprint ${expectFingerprint}). Use the vocab.json saved next to the model.`,
      );
    }
    return v;
  }
}
