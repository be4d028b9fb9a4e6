/**
 * `pnpm nlp lm train --model gru|lstm|rnn` — d2l's char-level RNN language model on Moby-Dick
 * through dlpipe's `fit` (gradient clipping, perplexity per epoch on train and held-out text,
 * history.jsonl, checkpoints, `--resume`), then curves.png, metrics.json and model/ under
 * runs/lm-<model>/; `pnpm nlp lm generate --model gru --prefix "call me"` loads model/.
 * Batches come by sequential partitioning with the hidden state carried from batch to batch, as
 * d2l's `train_ch8` defaults to (`--sampling random` starts every batch from zeros).
 *
 *   pnpm nlp lm train --model gru --num-hiddens 256 --epochs 1 && pnpm nlp lm generate --model gru --prefix "the whale"
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  lettersOnly,
  lmDataSource,
  loadRNNLM,
  mobyDick,
  RNNLM,
  saveRNNLM,
  TokenPerplexity,
  Vocab,
} from '@dlpipe/nlp';
import { fit, initBackend, plotTrainingCurves, writeFigure } from '@dlpipe/tensor';
import { z } from 'zod';

export const rnnSchema = z.object({
  model: z.enum(['rnn', 'gru', 'lstm']),
  impl: z.enum(['layers', 'scratch']).default('layers'),
  'num-hiddens': z.coerce.number().int().positive().default(256),
  'num-layers': z.coerce.number().int().positive().default(1),
  bidirectional: z.boolean().default(false),
  epochs: z.coerce.number().int().positive().default(1),
  'batch-size': z.coerce.number().int().positive().default(32),
  'num-steps': z.coerce.number().int().positive().default(35),
  sampling: z.enum(['sequential', 'random']).default('sequential'),
  optimizer: z.enum(['adam', 'sgd']).default('adam'),
  lr: z.coerce.number().positive().default(0.005),
  'clip-norm': z.coerce.number().positive().default(1),
  'max-chars': z.coerce.number().int().positive().optional(),
  'max-steps': z.coerce.number().int().positive().optional(),
  resume: z.boolean().default(false),
  prefix: z.string().default('call me'),
  'num-preds': z.coerce.number().int().min(0).default(50),
  seed: z.coerce.number().int().default(42),
  out: z.string().optional(),
});
export type RnnOptions = z.output<typeof rnnSchema>;

/** parseArgs options of the RNN models (beside the n-gram ones in lm.ts). */
export const RNN_OPTIONS = {
  ...Object.fromEntries(
    [
      'impl',
      'num-hiddens',
      'num-layers',
      'epochs',
      'batch-size',
      'num-steps',
      'sampling',
      'optimizer',
      'lr',
      'clip-norm',
      'max-chars',
      'max-steps',
      'num-preds',
    ].map((k) => [k, { type: 'string' }]),
  ),
  bidirectional: { type: 'boolean' },
  resume: { type: 'boolean' },
} as Record<string, { type: 'string' | 'boolean' }>;

export const RNN_USAGE = `       pnpm nlp lm train|generate --model gru|lstm|rnn [--impl layers|scratch] [--num-hiddens 256]
       [--num-layers 1] [--bidirectional] [--epochs 1] [--batch-size 32] [--num-steps 35]
       [--sampling sequential|random] [--optimizer adam|sgd] [--lr 0.005] [--clip-norm 1] [--max-chars N]
       [--max-steps N] [--resume] [--seed 42] [--prefix TEXT] [--num-preds 50] [--out runs/lm-<model>]

Trains d2l's char-level language model on Moby-Dick (sequential batches carry the hidden state, as
d2l's train_ch8; --sampling random starts each batch from zeros), or generates from a trained one.`;

const runDir = (o: RnnOptions) => o.out ?? `runs/lm-${o.model}`;

/** Moby-Dick as d2l preprocesses the Time Machine: letters and single spaces, lowercase. */
function charCorpus(maxChars?: number): string[] {
  const text = lettersOnly(mobyDick().replace(/\s+/g, ' '));
  return Array.from(maxChars ? text.slice(0, maxChars) : text);
}

export async function trainRnnLM(o: RnnOptions): Promise<number> {
  await initBackend();
  const chars = charCorpus(o['max-chars']);
  const vocab = Vocab.build(chars);
  const ids = vocab.indicesOf(chars);
  const cut = Math.floor(ids.length * 0.95);
  const lm = new RNNLM({
    vocabSize: vocab.size,
    kind: o.model,
    numHiddens: o['num-hiddens'],
    numLayers: o['num-layers'],
    bidirectional: o.bidirectional,
    impl: o.impl,
  });
  const dir = runDir(o);
  const data = { batchSize: o['batch-size'], numSteps: o['num-steps'] };
  const result = await fit(lm, lmDataSource(ids.slice(0, cut), { ...data, sampling: o.sampling }), {
    epochs: o.epochs,
    optimizer: { name: o.optimizer, lr: o.lr },
    clipNorm: o['clip-norm'],
    metrics: [new TokenPerplexity()],
    validation: lmDataSource(ids.slice(cut), { ...data, sampling: 'sequential' }),
    runDir: dir,
    resume: o.resume,
    seed: o.seed,
    maxSteps: o['max-steps'],
    checkpointEvery: 200,
  });
  if (result.resumedFrom) process.stderr.write(`resumed from ${result.resumedFrom}\n`);
  const steps = result.history.filter((r) => r.kind === 'step') as unknown as Array<Record<string, number>>;
  const figs = writeFigure(
    plotTrainingCurves(steps, { x: 'step', title: `char ${o.model.toUpperCase()} LM on Moby-Dick` }),
    join(dir, 'curves.png'),
  );
  await saveRNNLM(lm, vocab, join(dir, 'model'));
  const last = result.history.filter((r) => r.kind === 'epoch').at(-1);
  const metrics = {
    model: o.model,
    impl: o.impl,
    numHiddens: o['num-hiddens'],
    numLayers: o['num-layers'],
    bidirectional: o.bidirectional,
    sampling: o.sampling,
    chars: chars.length,
    vocab: vocab.size,
    steps: result.steps,
    seconds: result.seconds,
    perplexity: last?.perplexity,
    valPerplexity: last?.val_perplexity,
    history: result.history.filter((r) => r.kind === 'epoch'),
  };
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2));
  const ppl = (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : 'n/a (stopped mid-epoch)');
  console.log(
    `${o.model} (${o.impl}): perplexity ${ppl(last?.perplexity)}, held-out ${ppl(last?.val_perplexity)}`,
  );
  if (!o.bidirectional) console.log(generateText(lm, vocab, o.prefix, o['num-preds']));
  console.log(
    `wrote ${[join(dir, 'metrics.json'), join(dir, 'history.jsonl'), ...figs, join(dir, 'model/')].join(', ')}`,
  );
  return 0;
}

function generateText(lm: RNNLM, vocab: Vocab, prefix: string, numPreds: number): string {
  const start = vocab.indicesOf(Array.from(lettersOnly(prefix) || ' '));
  return vocab.tokensOf(lm.predict(start, numPreds)).join('');
}

export async function generateRnnLM(o: RnnOptions): Promise<number> {
  await initBackend();
  const { lm, vocab } = await loadRNNLM(join(runDir(o), 'model'));
  console.log(generateText(lm, vocab, o.prefix, o['num-preds']));
  return 0;
}
