/**
 * Input checks shared by every tokenizer: bytes must be valid UTF-8, strings must not hold lone
 * surrogates, and a single line must not exceed a length limit (so a 10 MB line fails fast with
 * a clear message instead of a slow, memory-hungry tokenization).
 *
 *   const text = decodeUtf8(readFileSync('in.txt'), 'in.txt');   // TextInputError on bad bytes
 *   checkText(text, { source: 'in.txt', maxLineChars: 1_000_000 });
 */
import { TextInputError } from '../errors.js';

export interface CheckTextOptions {
  /** Where the text came from, for messages (a file name, "stdin", "argument"). Default 'text'. */
  source?: string;
  /** Refuse empty (or whitespace-only) text. Default false. */
  requireNonEmpty?: boolean;
  /** Longest single line accepted, in UTF-16 code units. Default 1,000,000. */
  maxLineChars?: number;
}

export const DEFAULT_MAX_LINE_CHARS = 1_000_000;

/** Decodes bytes as UTF-8, failing with the byte offset of the first invalid sequence. */
export function decodeUtf8(bytes: Uint8Array, source = 'input'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    const at = firstInvalidUtf8(bytes);
    throw new TextInputError(
      `${source}: invalid UTF-8 at byte ${at} (0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}); ` +
        'expected UTF-8 text. Re-encode it, e.g. `iconv -f latin1 -t utf-8`.',
      { cause },
    );
  }
}

/** Byte offset of the first invalid UTF-8 sequence (bytes.length if all valid). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const n =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += n + 1;
  }
  return bytes.length;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `String.prototype.isWellFormed` (ES2024, Node ≥ 20), typed here as the repo targets ES2023. */
const isWellFormed = (text: string): boolean => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** Throws a TextInputError for lone surrogates, over-long lines or (optionally) empty text. */
export function checkText(text: string, options: CheckTextOptions = {}): void {
  const source = options.source ?? 'text';
  if (typeof text !== 'string') {
    throw new TextInputError(`${source}: expected a string, got ${typeof text}.`);
  }
  if (options.requireNonEmpty && text.trim() === '') {
    throw new TextInputError(`${source}: the text is empty; expected at least one non-space character.`);
  }
  const lone = isWellFormed(text) ? null : LONE_SURROGATE.exec(text);
  if (lone) {
    const at = lone.index;
    throw new TextInputError(
      `${source}: lone UTF-16 surrogate at character ${at}; the text is not valid Unicode. ` +
        'Fix the producer or call text.toWellFormed() to replace it with U+FFFD.',
    );
  }
  const max = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  if (text.length <= max) return; // no line can be longer than the whole text
  let start = 0;
  let line = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start > max) {
      throw new TextInputError(
        `${source}: line ${line} has ${end - start} characters; the limit is ${max}. ` +
          'Split the text into lines or sentences first, or raise maxLineChars.',
      );
    }
    start = end + 1;
    line++;
  }
}
