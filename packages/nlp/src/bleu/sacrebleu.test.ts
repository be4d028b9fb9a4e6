/**
 * BLEU against sacreBLEU 2.6.0: every vector in sacrebleu.vectors.ts (written by bleu.reference.py
 * from sacreBLEU itself) — corpus and sentence scores with their counts, score line and signature;
 * a 300-segment random corpus under five settings with one and two references; the tokenizers and
 * Python's split/strip/lower on 2,000 random lines of punctuation, CJK, symbols and odd spaces.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { BleuOptions, BleuSmoothMethod } from './bleu-options.js';
import type { BleuScore } from './compute-bleu.js';
import { type BleuResult, corpusBleu, sentenceBleu } from './corpus-bleu.js';
import { pyFixed, pyLower, pyRstrip, pySplit, pyStrip } from './py-text.js';
import { SACREBLEU } from './sacrebleu.vectors.js';
import { formatBleuScore } from './signature.js';
import { BLEU_TOKENIZERS, type BleuTokenizerName } from './tokenizers.js';

/** sacreBLEU's keyword arguments as dlpipe's options. */
interface PyOptions {
  tokenize?: string;
  lowercase?: boolean;
  smooth_method?: string;
  smooth_value?: number | null;
  effective_order?: boolean;
}
function optionsOf(py: PyOptions): BleuOptions {
  return {
    ...(py.tokenize && { tokenize: py.tokenize as BleuTokenizerName }),
    ...(py.lowercase && { lowercase: true }),
    ...(py.smooth_method && { smoothMethod: py.smooth_method as BleuSmoothMethod }),
    ...(typeof py.smooth_value === 'number' && { smoothValue: py.smooth_value }),
    ...(py.effective_order !== undefined && { effectiveOrder: py.effective_order }),
  };
}

interface Expected {
  score: number;
  counts: readonly number[];
  totals: readonly number[];
  precisions: readonly number[];
  bp: number;
  sys_len: number;
  ref_len: number;
  line: string;
  signature: string;
}

/** The same result as sacreBLEU: counts exactly, numbers to 1e-9, the score line and signature. */
function assertMatches(r: BleuResult, e: Expected, py: PyOptions, what: string): void {
  const s: BleuScore = r.score;
  // sacreBLEU's add-k adds k to its copy of counts and totals past the unigrams; dlpipe keeps them raw
  const k = py.smooth_method === 'add-k' && !e.counts.every((c) => c === 0) ? (py.smooth_value ?? 1) : 0;
  const added = (xs: number[]) => xs.map((x, i) => (i > 0 ? x + k : x));
  assert.deepEqual(added(s.counts), [...e.counts], `${what}: counts`);
  assert.deepEqual(added(s.totals), [...e.totals], `${what}: totals`);
  assert.equal(s.sysLen, e.sys_len, `${what}: sys_len`);
  assert.equal(s.refLen, e.ref_len, `${what}: ref_len`);
  assert.ok(Math.abs(s.score - e.score) < 1e-9, `${what}: score ${s.score} vs ${e.score}`);
  assert.ok(Math.abs(s.bp - e.bp) < 1e-12, `${what}: bp`);
  s.precisions.forEach((p, i) => {
    assert.ok(Math.abs(p - e.precisions[i]!) < 1e-9, `${what}: precision ${i + 1}`);
  });
  assert.equal(formatBleuScore(s), e.line, what);
  assert.equal(r.signature, e.signature, what);
}

describe('corpus BLEU equals sacreBLEU 2.6.0', () => {
  for (const v of SACREBLEU.vectors) {
    it(v.name, () => {
      const refs = v.refs.map((stream) => [...stream]);
      assertMatches(corpusBleu([...v.hyps], refs, optionsOf(v.options)), v, v.options, v.name);
    });
  }

  it('a 300-segment random corpus, 1 and 2 references, five settings', () => {
    const { hyps, refs1, refs2 } = randomCorpus(7, 300);
    assert.equal(SACREBLEU.corpus.length, 10);
    for (const c of SACREBLEU.corpus) {
      const streams = c.nrefs === 1 ? [refs1] : [refs1, refs2];
      const what = `${JSON.stringify(c.options)} nrefs ${c.nrefs}`;
      assertMatches(corpusBleu(hyps, streams, optionsOf(c.options)), c, c.options, what);
    }
  });
});

describe('sentence BLEU (effective order on) equals sacreBLEU sentence_bleu', () => {
  for (const v of SACREBLEU.sentences) {
    it(`${v.hyp} | ${v.refs.join(' | ')}`, () => {
      assertMatches(sentenceBleu(v.hyp, [...v.refs], optionsOf(v.options)), v, v.options, v.hyp);
    });
  }
});

describe("tokenizers and Python's string functions on 2,000 random lines", () => {
  const lines = fuzzLines(11, 2000);
  for (const name of ['13a', 'intl', 'zh', 'char'] as const) {
    it(name, () => {
      const out = lines.map(BLEU_TOKENIZERS[name]);
      assert.deepEqual(out.slice(0, 12), [...SACREBLEU.tokenizerSamples[name]]);
      assert.equal(digest(out), SACREBLEU.tokenizerDigests[name]);
    });
  }
  it('split, rstrip, strip', () => {
    const out = lines.map((l) => `${pySplit(l).join(' ')}|${pyRstrip(l)}|${pyStrip(l)}`);
    assert.equal(digest(out), SACREBLEU.splitDigest);
  });
  it('lower', () => {
    assert.equal(digest(lines.map(pyLower)), SACREBLEU.lowerDigest);
  });
});

describe("pyFixed rounds as Python's format", () => {
  it('ties to even on the exact binary value', () => {
    for (const [x, d, expected] of SACREBLEU.fixed) assert.equal(pyFixed(x, d), expected, `${x} to ${d}`);
  });
});

/** MINSTD, as bleu.reference.py's `Minstd`. */
function minstd(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 48271) % 2147483647;
    return x;
  };
}

/** bleu.reference.py's `random_corpus`. */
function randomCorpus(seed: number, n: number): { hyps: string[]; refs1: string[]; refs2: string[] } {
  const next = minstd(seed);
  const words = SACREBLEU.words;
  const pick = () => words[next() % words.length]!;
  const hyps: string[] = [];
  const refs1: string[] = [];
  const refs2: string[] = [];
  for (let s = 0; s < n; s++) {
    const ref = Array.from({ length: 1 + (next() % 15) }, pick);
    const hyp: string[] = [];
    const ref2: string[] = [];
    for (const w of ref) {
      const r = next() % 10;
      if (r === 0) continue;
      hyp.push(r < 3 ? pick() : w);
      ref2.push(next() % 4 ? w : pick());
    }
    const glue = next() % 5 === 0 ? '' : ' ';
    hyps.push(hyp.join(glue));
    refs1.push(ref.join(' '));
    refs2.push(ref2.join(' '));
  }
  return { hyps, refs1, refs2 };
}

/** bleu.reference.py's `fuzz_lines`. */
function fuzzLines(seed: number, n: number): string[] {
  const next = minstd(seed);
  const pool = Array.from(SACREBLEU.pool);
  return Array.from({ length: n }, () => {
    const len = next() % 40;
    let s = '';
    for (let i = 0; i < len; i++) s += pool[next() % pool.length];
    return s;
  });
}

function digest(strings: string[]): string {
  return createHash('sha256').update(strings.join('\n'), 'utf8').digest('hex');
}
