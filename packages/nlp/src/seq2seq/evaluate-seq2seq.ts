/**
 * A translation model scored on a test set: greedy and beam-search outputs, corpus BLEU as
 * sacreBLEU computes it (13a for French, zh for Chinese; detokenized outputs against detokenized
 * references) and the exact-match rate (the copy/reverse task's measure), written into the run's
 * metrics.json under `test`.
 *
 *   const saved = await loadSeq2Seq('runs/s2s-gru');
 *   const r = evaluateSeq2Seq(saved, testSetOfPairs(loadSeq2SeqPairs({ pairs: 'en-fr' }).test, 'fr'), { beam: 4 });
 *   r.greedy.bleu; r.beam?.bleu;
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@dlpipe/core';
import { z } from 'zod';
import { corpusBleu } from '../bleu/corpus-bleu.js';
import { BLEU_TOKENIZER_NAMES, type BleuTokenizerName } from '../bleu/tokenizers.js';
import { CorpusError } from '../errors.js';
import { splitTokens, type TokenPair, tokenizeSource } from './seq2seq-data.js';
import type { SavedSeq2Seq } from './seq2seq-io.js';
import { bleuTokenizerFor, detokenize } from './seq2seq-pairs.js';
import { translateTokens } from './translate.js';

/** Sources as model tokens, references as text. */
export interface Seq2SeqTestSet {
  src: string[][];
  refs: string[];
  /** Compare lowercased (references written by people, outputs lowercased as in training). */
  lowercase: boolean;
}

/** A split of token pairs as a test set (references detokenized like the outputs). */
export function testSetOfPairs(pairs: readonly TokenPair[], lang: string): Seq2SeqTestSet {
  return {
    src: pairs.map((p) => splitTokens(p[0])),
    refs: pairs.map((p) => detokenize(splitTokens(p[1]), lang)),
    lowercase: false,
  };
}

/** Raw source and reference lines (e.g. from `readParallelText`) as a test set. */
export function testSetOfText(src: readonly string[], refs: readonly string[]): Seq2SeqTestSet {
  return { src: src.map(tokenizeSource), refs: refs.map((r) => r.trim()), lowercase: true };
}

export const evaluateSeq2SeqOptionsSchema = z.object({
  /** Beam size of the beam-search score; 0 or 1: greedy only. */
  beam: z.number().int().min(0).default(4),
  alpha: z.number().min(0).default(0.75),
  maxLen: z.number().int().positive().optional(),
  /** sacreBLEU tokenizer; default by the model's language (13a, zh for Chinese). */
  tokenize: z.enum(BLEU_TOKENIZER_NAMES).optional(),
  /** Only the first N test sentences. */
  limit: z.number().int().positive().optional(),
});
export type EvaluateSeq2SeqOptions = z.input<typeof evaluateSeq2SeqOptionsSchema>;

export interface DecodingScore {
  bleu: number;
  /** sacreBLEU's score line (`BLEU = 31.2 60.1/…`) and signature. */
  line: string;
  signature: string;
  /** Share of outputs equal to their reference. */
  exactMatch: number;
  seconds: number;
}

export interface Seq2SeqEvalResult {
  sentences: number;
  tokenize: BleuTokenizerName;
  greedy: DecodingScore;
  beam?: DecodingScore & { beamSize: number; alpha: number };
  /** The first few sentences: source, reference, greedy and beam outputs. */
  examples: Array<{ src: string; ref: string; greedy: string; beam?: string }>;
}

function score(
  hyps: string[],
  set: Seq2SeqTestSet,
  tokenize: BleuTokenizerName,
  seconds: number,
): DecodingScore {
  const r = corpusBleu(hyps, [set.refs], { tokenize, lowercase: set.lowercase });
  const norm = (s: string) => (set.lowercase ? s.toLowerCase() : s).trim();
  const exact = hyps.filter((h, i) => norm(h) === norm(set.refs[i] as string)).length;
  const s = r.score;
  const line = `BLEU = ${s.score.toFixed(2)} ${s.precisions.map((p) => p.toFixed(1)).join('/')} (BP = ${s.bp.toFixed(3)})`;
  return { bleu: s.score, line, signature: r.signature, exactMatch: exact / hyps.length, seconds };
}

/** Greedy (and beam) outputs of the test set and their scores; see the file header. */
export function evaluateSeq2Seq(
  saved: SavedSeq2Seq,
  set: Seq2SeqTestSet,
  options: EvaluateSeq2SeqOptions = {},
): Seq2SeqEvalResult {
  const o = evaluateSeq2SeqOptionsSchema.parse(options);
  const n = Math.min(set.src.length, o.limit ?? Number.POSITIVE_INFINITY);
  if (n === 0) throw new CorpusError('the test set holds no sentences to score.');
  const sub: Seq2SeqTestSet = { ...set, src: set.src.slice(0, n), refs: set.refs.slice(0, n) };
  const tokenize = o.tokenize ?? bleuTokenizerFor(saved.lang);
  const run = (beam: number) => {
    const t0 = performance.now();
    const out = translateTokens(saved, sub.src, { beam, alpha: o.alpha, maxLen: o.maxLen });
    const hyps = out.map((t) => detokenize(t, saved.lang));
    return { hyps, score: score(hyps, sub, tokenize, (performance.now() - t0) / 1000) };
  };
  const greedy = run(1);
  const beam = o.beam > 1 ? run(o.beam) : undefined;
  const examples = sub.src.slice(0, 5).map((src, i) => ({
    src: src.join(' '),
    ref: sub.refs[i] as string,
    greedy: greedy.hyps[i] as string,
    ...(beam ? { beam: beam.hyps[i] as string } : {}),
  }));
  return {
    sentences: n,
    tokenize,
    greedy: greedy.score,
    ...(beam ? { beam: { ...beam.score, beamSize: o.beam, alpha: o.alpha } } : {}),
    examples,
  };
}

/** Adds the scores to `<runDir>/metrics.json` under `test` (other keys kept); returns its path. */
export function writeSeq2SeqEval(runDir: string, result: Seq2SeqEvalResult): string {
  const file = join(runDir, 'metrics.json');
  let metrics: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      metrics = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      metrics = {};
    }
  }
  writeFileAtomicSync(file, `${JSON.stringify({ ...metrics, test: result }, null, 2)}\n`);
  return file;
}
