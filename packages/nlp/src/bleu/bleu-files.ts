/**
 * BLEU of text files as sacreBLEU's command line reads them: UTF-8 (a BOM kept, as Python does;
 * `.gz` decompressed), one segment a line (lines split at `\n` only, each right-stripped, so
 * `\r\n` works), the hypothesis from a file or stdin, one file per reference. Every file must
 * have lines and as many as the others; errors name the file and the counts.
 *
 *   const r = scoreBleuFiles({ refs: ['ref.de'], hyp: 'out.de', tokenize: '13a' });
 *   console.log(formatBleuScore(r.score)); // BLEU = 22.07 55.2/28.0/16.0/9.6 (BP = 1.000 …)
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { checkInputFile } from '@dlpipe/core';
import { TextInputError } from '../errors.js';
import { decodeUtf8 } from '../text/check-text.js';
import type { BleuOptions } from './bleu-options.js';
import { type BleuResult, corpusBleu } from './corpus-bleu.js';
import { pyRstrip } from './py-text.js';

/** A text and where it came from (a path, or 'stdin'), for messages. */
export interface BleuText {
  source: string;
  text: string;
}

export interface BleuFilesOptions extends BleuOptions {
  /** Reference files, one per reference (sacreBLEU's positional refs). */
  refs: string[];
  /** The hypothesis file; '-' or absent: stdin (sacreBLEU's `-i`). */
  hyp?: string;
}

/** sacreBLEU's lines of a text: split at '\n' (no line after a final one), each right-stripped. */
export function bleuLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map(pyRstrip);
}

/** Decodes a file's bytes as Python's utf-8 codec does (invalid bytes are an error, a BOM is kept). */
function decodeText(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return decodeUtf8(bytes, source); // throws TextInputError with the byte offset
  }
}

/** A text file (`.gz` decompressed, as sacreBLEU's smart_open) or, for '-', stdin. */
export function readBleuText(path: string, what: string): BleuText {
  if (path === '-') return { source: 'stdin', text: decodeText(readFileSync(0), 'stdin') };
  checkInputFile(path, what);
  let bytes: Uint8Array = readFileSync(path);
  if (path.endsWith('.gz')) {
    try {
      bytes = gunzipSync(bytes);
    } catch (cause) {
      throw new TextInputError(
        `${path}: not a complete gzip file (${(cause as Error).message}); expected gzipped UTF-8 text (the ${what})`,
        { cause },
      );
    }
  }
  return { source: path, text: decodeText(bytes, path) };
}

/** Lines of a text, refusing a text without any. */
function linesOf(t: BleuText, what: string): string[] {
  const lines = bleuLines(t.text);
  if (lines.length === 0) {
    throw new TextInputError(`${t.source}: empty (0 lines); expected the ${what}, one segment a line`);
  }
  return lines;
}

/**
 * Hypothesis and reference lines, checked: none empty, all with the same number of lines
 * (sacreBLEU requires it; an empty line is an empty segment).
 */
export function bleuSegments(hyp: BleuText, refs: BleuText[]): { hyps: string[]; refs: string[][] } {
  const refLines = refs.map((r) => linesOf(r, 'reference'));
  refLines.forEach((lines, i) => {
    if (lines.length !== refLines[0]!.length) {
      throw new TextInputError(
        `${refs[i]!.source}: ${lines.length} lines, but ${refs[0]!.source} has ${refLines[0]!.length}; ` +
          'every reference file needs one line per segment',
      );
    }
  });
  const hyps = linesOf(hyp, 'hypothesis');
  if (refLines.length > 0 && hyps.length !== refLines[0]!.length) {
    throw new TextInputError(
      `${hyp.source}: ${hyps.length} lines, but the reference ${refs[0]!.source} has ${refLines[0]!.length}; ` +
        'the hypothesis needs one line per reference line',
    );
  }
  return { hyps, refs: refLines };
}

/** Reads, checks and scores: sacreBLEU's `sacrebleu REF… -i HYP` for BLEU. */
export function scoreBleuFiles(options: BleuFilesOptions): BleuResult {
  const { refs: refPaths, hyp: hypPath, ...bleuOptions } = options;
  if (refPaths.length === 0) {
    throw new TextInputError('no reference file: give one or more (--ref FILE, repeated for each reference)');
  }
  for (const p of refPaths) checkInputFile(p, 'reference file');
  if (hypPath !== undefined && hypPath !== '-') checkInputFile(hypPath, 'hypothesis file');
  const refs = refPaths.map((p) => readBleuText(p, 'reference file'));
  for (const r of refs) linesOf(r, 'reference'); // an empty reference is named before stdin is read
  const hyp = readBleuText(hypPath ?? '-', 'hypothesis file');
  const segments = bleuSegments(hyp, refs);
  return corpusBleu(segments.hyps, segments.refs, bleuOptions);
}
