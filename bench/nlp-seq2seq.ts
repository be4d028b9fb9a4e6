/**
 * Translation models for `pnpm bench nlp --only seq2seq`: the copy task's exact match (Bahdanau,
 * target ≥ 99%), and on the gettext en–fr pairs d2l's GRU encoder–decoder, Bahdanau decoder and
 * Transformer, each trained with d2l's settings (embed/hidden 32, 2 layers, dropout 0.1, batch
 * 64, 10 steps, Adam 0.005, clipping 1; Transformer 4 heads, FFN 64) on a seeded sample of the
 * training pairs, with test-split BLEU (greedy and beam 4) and s/epoch next to PyTorch's same
 * model on the same ids, vocabularies and settings in the same run (bench/nlp_seq2seq_torch.py).
 *
 *   const r = await benchSeq2Seq({ trainPairs: 20000, testPairs: 1000, epochs: 10, archs: ['gru'] });
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@dlpipe/core';
import {
  buildPairs,
  corpusBleu,
  detokenize,
  evaluateSeq2Seq,
  loadSeq2SeqPairs,
  type Seq2SeqArch,
  seq2seqArchs,
  seq2seqArrays,
  specialIds,
  splitTokens,
  type TokenPair,
  testSetOfPairs,
  trainSeq2Seq,
  writePairsSplits,
} from '@dlpipe/nlp';

const TORCH_SCRIPT = fileURLToPath(new URL('./nlp_seq2seq_torch.py', import.meta.url));

/** d2l §10.7 / §11.7 settings (the Transformer reads numHeads and ffnNumHiddens). */
export const SEQ2SEQ_BENCH_SETTINGS = {
  embedSize: 32,
  numHiddens: 32,
  numLayers: 2,
  dropout: 0.1,
  batchSize: 64,
  numSteps: 10,
  lr: 0.005,
  numHeads: 4,
  ffnNumHiddens: 64,
  minFreq: 2,
  beam: 4,
  alpha: 0.75,
  maxLen: 10,
};

export interface Seq2SeqRow {
  name: string;
  arch: string;
  secondsPerEpoch: number;
  loss: number | undefined;
  greedyBleu: number;
  beamBleu: number;
}

export interface Seq2SeqBench {
  copy?: { exactMatch: number; beamExactMatch: number; sentences: number; seconds: number };
  rows: Seq2SeqRow[];
  notes: string[];
  data: { trainPairs: number; testPairs: number; srcVocab: number; tgtVocab: number; epochs: number };
}

export interface BenchSeq2SeqOptions {
  trainPairs: number;
  testPairs: number;
  epochs: number;
  archs: Seq2SeqArch[];
  /** Copy task size (pairs before the split) and epochs; 0 pairs: skipped. */
  copyPairs: number;
  copyEpochs: number;
}

/** The copy task with attention: greedy and beam exact match on its test split. */
async function copyTask(dir: string, o: BenchSeq2SeqOptions): Promise<Seq2SeqBench['copy']> {
  const t0 = performance.now();
  const r = await trainSeq2Seq({
    runDir: join(dir, 'copy'),
    arch: 'bahdanau',
    pairs: 'copy',
    synthetic: { numPairs: o.copyPairs, vocabSize: 10, minLen: 2, maxLen: 8, seed: 0 },
    epochs: o.copyEpochs,
    numHiddens: 64,
    embedSize: 32,
    numLayers: 1,
    dropout: 0,
    numSteps: 10,
    batchSize: 64,
    checkpointEvery: 0,
  });
  const saved = { model: r.model, vocabs: r.vocabs, lang: 'copy', numSteps: 10 };
  const ev = evaluateSeq2Seq(saved, testSetOfPairs(r.pairs.test, 'copy'), { beam: 4 });
  r.model.dispose();
  return {
    exactMatch: ev.greedy.exactMatch,
    beamExactMatch: ev.beam?.exactMatch ?? 0,
    sentences: ev.sentences,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** A seeded sample of `n` pairs. */
function sample(pairs: readonly TokenPair[], n: number, seed: number): TokenPair[] {
  const order = new Rng(seed).permutation(pairs.length);
  return Array.from(order.subarray(0, Math.min(n, pairs.length)), (i) => pairs[i] as TokenPair);
}

/** The sampled en–fr pairs as a pairs folder, so dlpipe trains through its own loader. */
function enFr(dir: string, o: BenchSeq2SeqOptions): { dir: string; train: TokenPair[]; test: TokenPair[] } {
  const build = buildPairs({ lang: 'fr' });
  const all = loadFromBuild(build.splits);
  const train = sample(all.train, o.trainPairs, 1);
  const test = sample(all.test, o.testPairs, 2);
  const rec = (p: TokenPair) => ({ src: p[0], tgt: p[1], srcTok: p[0], tgtTok: p[1], package: 'bench' });
  const out = join(dir, 'en-fr');
  mkdirSync(out, { recursive: true });
  writePairsSplits(out, 'fr', { train: train.map(rec), val: [], test: test.map(rec) });
  return { dir: out, train, test };
}

function loadFromBuild(splits: ReturnType<typeof buildPairs>['splits']) {
  const tok = (s: 'train' | 'test') => splits[s].map((r): TokenPair => [r.srcTok, r.tgtTok]);
  return { train: tok('train'), test: tok('test') };
}

interface TorchResult {
  torch: string;
  threads: number;
  secondsPerEpoch: number;
  loss: number;
  greedy: number[][];
  beam: number[][];
}

/** PyTorch's run of `arch` on the ids in `dataFile`, or why there is none. */
function torchRun(dataFile: string, arch: string, epochs: number): TorchResult | string {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'PyTorch not available (/usr/bin/python3 -c "import torch" failed)';
  const r = spawnSync(
    '/usr/bin/python3',
    [TORCH_SCRIPT, dataFile, '--arch', arch, '--epochs', String(epochs)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = r.stdout?.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) return `PyTorch ${arch} failed (exit ${r.status})`;
  return JSON.parse(line.slice(7)) as TorchResult;
}

/** Runs the bench; see the file header. */
export async function benchSeq2Seq(o: BenchSeq2SeqOptions): Promise<Seq2SeqBench> {
  const dir = mkdtempSync(join(tmpdir(), 'dlpipe-bench-s2s-'));
  const notes: string[] = [];
  const rows: Seq2SeqRow[] = [];
  try {
    const copy = o.copyPairs > 0 ? await copyTask(dir, o) : undefined;
    const data = enFr(dir, o);
    const pairs = loadSeq2SeqPairs({ pairs: data.dir });
    const S = SEQ2SEQ_BENCH_SETTINGS;
    const refs = pairs.test.map((p) => detokenize(splitTokens(p[1]), 'fr'));
    const bleu = (hyps: string[]) => corpusBleu(hyps, [refs], { tokenize: '13a' }).score.score;
    let info: Seq2SeqBench['data'] = {
      trainPairs: 0,
      testPairs: 0,
      srcVocab: 0,
      tgtVocab: 0,
      epochs: o.epochs,
    };
    const known = seq2seqArchs();
    for (const arch of o.archs) {
      if (!known.includes(arch)) {
        notes.push(`${arch}: not registered in @dlpipe/nlp yet; skipped`);
        continue;
      }
      const r = await trainSeq2Seq({
        ...S,
        runDir: join(dir, `run-${arch}`),
        arch,
        pairs: data.dir,
        epochs: o.epochs,
        seed: 0,
        checkpointEvery: 0,
      });
      const saved = { model: r.model, vocabs: r.vocabs, lang: 'fr', numSteps: S.numSteps };
      const ev = evaluateSeq2Seq(saved, testSetOfPairs(pairs.test, 'fr'), {
        beam: S.beam,
        alpha: S.alpha,
        maxLen: S.maxLen,
      });
      info = {
        trainPairs: r.metrics.trainPairs,
        testPairs: ev.sentences,
        srcVocab: r.vocabs.src.size,
        tgtVocab: r.vocabs.tgt.size,
        epochs: o.epochs,
      };
      rows.push({
        name: `dlpipe ${arch}`,
        arch,
        secondsPerEpoch: r.metrics.secondsPerEpoch ?? Number.NaN,
        loss: r.metrics.loss,
        greedyBleu: ev.greedy.bleu,
        beamBleu: ev.beam?.bleu ?? Number.NaN,
      });
      // The same ids for PyTorch: the training arrays and test sources dlpipe built.
      const train = seq2seqArrays(pairs.train, r.vocabs, S.numSteps);
      const test = seq2seqArrays(pairs.test, r.vocabs, S.numSteps);
      const { bos, eos } = specialIds(r.vocabs.tgt);
      const file = join(dir, `torch-${arch}.json`);
      writeFileSync(
        file,
        JSON.stringify({
          settings: S,
          srcVocab: r.vocabs.src.size,
          tgtVocab: r.vocabs.tgt.size,
          bos,
          eos,
          train: {
            src: [...train.src.ids],
            srcLen: [...train.src.validLen],
            tgt: [...train.tgt.ids],
            tgtLen: [...train.tgt.validLen],
          },
          test: { src: [...test.src.ids], srcLen: [...test.src.validLen] },
        }),
      );
      const tokens = (ids: number[][]) => ids.map((row) => detokenize(r.vocabs.tgt.tokensOf(row), 'fr'));
      r.model.dispose();
      const t = torchRun(file, arch, o.epochs);
      if (typeof t === 'string') notes.push(t);
      else {
        rows.push({
          name: `PyTorch ${t.torch} ${arch} (${t.threads} threads)`,
          arch,
          secondsPerEpoch: t.secondsPerEpoch,
          loss: t.loss,
          greedyBleu: bleu(tokens(t.greedy)),
          beamBleu: bleu(tokens(t.beam)),
        });
      }
    }
    return { copy, rows, notes, data: info };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The bench's lines for people. */
export function formatSeq2Seq(b: Seq2SeqBench): string[] {
  const d = b.data;
  const lines: string[] = [];
  if (b.copy) {
    const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
    lines.push(
      `\ncopy task (Bahdanau, hidden 64): exact match greedy ${pct(b.copy.exactMatch)}, beam 4 ${pct(b.copy.beamExactMatch)} on ${b.copy.sentences} test sequences (${b.copy.seconds.toFixed(0)} s; target ≥ 99%)`,
    );
  }
  lines.push(
    `\nen–fr gettext, ${d.trainPairs} train / ${d.testPairs} test pairs, vocab ${d.srcVocab}/${d.tgtVocab}, ${d.epochs} epochs, d2l settings`,
    'model                                       s/epoch   loss   BLEU greedy   BLEU beam 4',
  );
  for (const r of b.rows) {
    lines.push(
      `${r.name.padEnd(42)}${r.secondsPerEpoch.toFixed(1).padStart(9)}${(r.loss ?? Number.NaN).toFixed(2).padStart(7)}${r.greedyBleu.toFixed(2).padStart(14)}${r.beamBleu.toFixed(2).padStart(14)}`,
    );
  }
  for (const n of b.notes) lines.push(`note: ${n}`);
  return lines;
}
