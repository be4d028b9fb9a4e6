/**
 * `pnpm bench nlp` — @dlpipe/nlp's speed: tokenizer throughput against calling natural/nodejieba
 * directly (target: ≤ 10% overhead) and WordPiece against a plain reference loop; char-LM
 * training tokens/s for d2l's GRU (hidden 256) next to PyTorch's in the same run, with held-out
 * perplexities after the same number of steps. Timings are noisy: compare ratios.
 *
 *   pnpm bench nlp [--quick] [--json] [--only tokenizers|lm|seq2seq] [--steps 100] [--kinds gru,lstm,rnn]
 *                  [--impls layers,scratch] [--archs gru,bahdanau,transformer] [--epochs 10]
 *                  [--train-pairs 20000]
 *
 * seq2seq (bench/nlp-seq2seq.ts): copy-task exact match, and en–fr test BLEU (greedy, beam 4) and
 * s/epoch of d2l's GRU, Bahdanau and Transformer next to PyTorch's same models in the same run.
 */
import { parseArgs } from 'node:util';
import { CELL_KINDS, type CellKind, ENCODER_IMPLS, type EncoderImpl, type Seq2SeqArch } from '@dlpipe/nlp';
import { describeBackend, formatBackend, initBackend } from '@dlpipe/tensor';
import { benchCharLM, type LMRow } from './nlp-lm.js';
import { benchSeq2Seq, formatSeq2Seq } from './nlp-seq2seq.js';
import { benchTokenizers, type TokenizerRow } from './nlp-tokenizers.js';

const PARTS = ['tokenizers', 'lm', 'seq2seq'] as const;
const ARCHS = ['gru', 'bahdanau', 'transformer'] as const;
type Part = (typeof PARTS)[number];

function list<T extends string>(value: string, known: readonly T[], what: string): T[] {
  const items = value.split(',').filter((s) => s !== '');
  const bad = items.filter((s) => !(known as readonly string[]).includes(s));
  if (bad.length)
    throw new Error(`--${what}: unknown ${bad.join(', ')}; expected a comma list of ${known.join(', ')}`);
  return items as T[];
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      steps: { type: 'string' },
      kinds: { type: 'string', default: 'gru' },
      impls: { type: 'string', default: 'layers,scratch' },
      only: { type: 'string' },
      archs: { type: 'string', default: ARCHS.join(',') },
      epochs: { type: 'string' },
      'train-pairs': { type: 'string' },
    },
  });
  const parts = list<Part>(values.only ?? PARTS.join(','), PARTS, 'only');
  await initBackend();
  const backend = formatBackend(await describeBackend());
  const tokenizers = parts.includes('tokenizers')
    ? benchTokenizers({ passes: values.quick ? 3 : 10, chars: values.quick ? 100_000 : 400_000 })
    : [];
  const steps = Number(values.steps ?? (values.quick ? 20 : 100));
  const kinds = list<CellKind>(values.kinds, CELL_KINDS, 'kinds');
  const lm = parts.includes('lm')
    ? await benchCharLM({
        steps,
        numHiddens: 256,
        chars: 300_000,
        kinds,
        impls: list<EncoderImpl>(values.impls, ENCODER_IMPLS, 'impls'),
      })
    : undefined;
  const seq2seq = parts.includes('seq2seq')
    ? await benchSeq2Seq({
        archs: list<Seq2SeqArch>(values.archs, ARCHS, 'archs'),
        epochs: Number(values.epochs ?? (values.quick ? 1 : 10)),
        trainPairs: Number(values['train-pairs'] ?? (values.quick ? 2000 : 20_000)),
        testPairs: values.quick ? 200 : 1000,
        copyPairs: values.quick ? 1000 : 5000,
        copyEpochs: values.quick ? 2 : 25, // 25 epochs: 99.5% measured (204/205)
      })
    : undefined;
  if (values.json) {
    console.log(JSON.stringify({ backend, tokenizers, lm, seq2seq }, null, 2));
    return 0;
  }
  console.log(`backend: ${backend}`);
  if (tokenizers.length) printTokenizers(tokenizers);
  if (lm) printLM(lm, steps, kinds);
  if (seq2seq) for (const line of formatSeq2Seq(seq2seq)) console.log(line);
  return 0;
}

function printTokenizers(rows: TokenizerRow[]): void {
  const k = (n: number) => `${(n / 1000).toFixed(0)}k`;
  console.log('\ntokenizer                       ours tok/s   direct tok/s   overhead');
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(32)}${k(r.ours).padStart(10)}${k(r.direct).padStart(15)}${`${(r.overhead * 100).toFixed(1)}%`.padStart(11)}`,
    );
  }
}

function printLM(lm: { rows: LMRow[]; notes: string[] }, steps: number, kinds: CellKind[]): void {
  const what = kinds.map((k) => k.toUpperCase()).join('/');
  console.log(
    `\nchar LM, ${what} hidden 256, batch 32 × 35, ${steps} steps   tokens/s   ratio   held-out ppl`,
  );
  for (const r of lm.rows) {
    // each row against PyTorch's row of the same cell
    const kind = r.name.split(' ').find((w) => (CELL_KINDS as readonly string[]).includes(w));
    const ref = lm.rows.find((x) => x.name.startsWith('PyTorch') && x.name.includes(` ${kind} `));
    const ratio = ref ? `${(ref.tokensPerSecond / r.tokensPerSecond).toFixed(1)}×` : '';
    console.log(
      `${r.name.padEnd(52)}${r.tokensPerSecond.toFixed(0).padStart(9)}${ratio.padStart(8)}${r.valPerplexity.toFixed(2).padStart(14)}`,
    );
  }
  for (const n of lm.notes) console.log(`note: ${n}`);
}
