/**
 * Char-LM training throughput for `pnpm bench nlp`: d2l's GRU language model (hidden 256, batch
 * 32 × 35 steps, random partitioning, Adam, clipping 1) on Moby-Dick through dlpipe's `fit`,
 * tokens/s after 3 warm-up steps and the held-out perplexity after the same number of steps, next
 * to PyTorch's for the same model in the same run (bench/nlp_torch.py, when python3 has torch).
 *
 *   const rows = await benchCharLM({ steps: 100, numHiddens: 256, impls: ['layers'], kinds: ['gru'] });
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setSeed } from '@dlpipe/core';
import {
  type CellKind,
  type EncoderImpl,
  lettersOnly,
  lmDataSource,
  mobyDick,
  RNNLM,
  TokenPerplexity,
  Vocab,
} from '@dlpipe/nlp';
import { evaluate, fit } from '@dlpipe/tensor';

export interface LMRow {
  name: string;
  tokensPerSecond: number;
  valPerplexity: number;
  steps: number;
}

const TORCH_SCRIPT = fileURLToPath(new URL('./nlp_torch.py', import.meta.url));
const BATCH = { batchSize: 32, numSteps: 35 };

function corpus(chars: number): string {
  return lettersOnly(mobyDick().replace(/\s+/g, ' ')).slice(0, chars);
}

async function ours(
  text: string,
  kind: CellKind,
  impl: EncoderImpl,
  numHiddens: number,
  steps: number,
): Promise<LMRow> {
  const chars = Array.from(text);
  const vocab = Vocab.build(chars);
  const ids = vocab.indicesOf(chars);
  const cut = Math.floor(ids.length * 0.95);
  setSeed(0); // the same initial weights in every run
  const lm = new RNNLM({ vocabSize: vocab.size, kind, numHiddens, impl });
  let t0 = 0;
  const r = await fit(lm, lmDataSource(ids.slice(0, cut), BATCH), {
    epochs: 1000,
    maxSteps: steps,
    optimizer: { name: 'adam', lr: 0.005 },
    clipNorm: 1,
    seed: 0,
    progress: { label: `${impl} ${kind} ${numHiddens}` },
    callbacks: [
      {
        onStepEnd: (rec) => {
          if (rec.step === 3) t0 = performance.now();
        },
      },
    ],
  });
  const seconds = (performance.now() - t0) / 1000;
  // Held-out batches from zero state each, as the PyTorch script evaluates (no carried state).
  const heldOut = lmDataSource(ids.slice(cut), { ...BATCH, sampling: 'sequential', carryState: false });
  const val = await evaluate(lm, heldOut, {
    metrics: [new TokenPerplexity()],
  });
  lm.dispose();
  return {
    name: `dlpipe ${impl} ${kind}`,
    tokensPerSecond: ((r.steps - 3) * BATCH.batchSize * BATCH.numSteps) / seconds,
    valPerplexity: val.perplexity!,
    steps: r.steps,
  };
}

function torch(text: string, kind: CellKind, numHiddens: number, steps: number): LMRow | string {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0)
    return 'PyTorch not available (/usr/bin/python3 -c "import torch" failed; apt-get install python3-torch)';
  const dir = mkdtempSync(join(tmpdir(), 'dlpipe-bench-nlp-'));
  try {
    const file = join(dir, 'corpus.txt');
    writeFileSync(file, text);
    const r = spawnSync(
      '/usr/bin/python3',
      [TORCH_SCRIPT, file, '--hiddens', String(numHiddens), '--steps', String(steps), '--kind', kind],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) return `PyTorch run failed: ${r.stderr.trim().split('\n').at(-1)}`;
    const j = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      torch: string;
      threads: number;
      tokensPerSecond: number;
      valPerplexity: number;
      steps: number;
    };
    return {
      name: `PyTorch ${j.torch} ${kind} (${j.threads} threads)`,
      tokensPerSecond: j.tokensPerSecond,
      valPerplexity: j.valPerplexity,
      steps: j.steps,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchCharLM(o: {
  steps: number;
  numHiddens: number;
  chars: number;
  kinds: CellKind[];
  impls: EncoderImpl[];
}): Promise<{ rows: LMRow[]; notes: string[] }> {
  const text = corpus(o.chars);
  const rows: LMRow[] = [];
  const notes: string[] = [];
  for (const kind of o.kinds.filter((k) => k !== 'rnn')) {
    const t = torch(text, kind, o.numHiddens, o.steps);
    if (typeof t === 'string') notes.push(t);
    else rows.push(t);
  }
  for (const impl of o.impls)
    for (const kind of o.kinds) rows.push(await ours(text, kind, impl, o.numHiddens, o.steps));
  return { rows, notes };
}
