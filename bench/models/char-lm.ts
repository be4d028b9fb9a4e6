/**
 * d2l's char-level RNN language models (chapter 9): vocabulary 28 as d2l's time machine, 256
 * hidden units, batches of 32 × 35 random tokens, mean cross-entropy, gradients clipped to norm 1,
 * SGD with lr 1 — d2l's `train_ch8` step. Four rows: GRU and LSTM, each as tfjs-layers cells
 * (`impl: 'layers'`, against PyTorch's nn.GRU / nn.LSTM) and as d2l's scratch cells written with
 * tf ops (`impl: 'scratch'`, against d2l's GRUScratch / LSTMScratch in engine_torch.py).
 *
 *   const net = MODELS['gru-lm'].create({ batch: 32 }); net.trainStep(); net.dispose();
 */
import { type CellKind, type EncoderImpl, RNNLM } from '@dlpipe/nlp';
import { createOptimizer, tf } from '@dlpipe/tensor';
import { type BenchModel, type BenchModelSpec, clippedStep, countParams } from './bench-model.js';

const VOCAB = 28;
const HIDDENS = 256;
const STEPS = 35;

/**
 * PyTorch's parameter counts, from `/usr/bin/python3 bench/engine_torch.py --params` (torch 1.13).
 * nn.GRU / nn.LSTM keep two bias vectors per gate (b_ih and b_hh), tfjs-layers' cells one, so the
 * layers rows have 3·256 (GRU) or 4·256 (LSTM) parameters fewer than PyTorch's; the scratch rows
 * are d2l's cells on both sides and count the same.
 */
export const LM_TORCH_PARAMS = {
  'gru-lm': 226844,
  'lstm-lm': 300060,
  'gru-lm-scratch': 226076,
  'lstm-lm-scratch': 299036,
} as const;

function charLM(kind: CellKind, impl: EncoderImpl, batch: number, lr = 1): BenchModel {
  const lm = new RNNLM({ vocabSize: VOCAB, kind, numHiddens: HIDDENS, impl });
  const X = tf.randomUniform([batch, STEPS], 0, VOCAB, 'int32') as tf.Tensor2D;
  const Y = tf.randomUniform([batch, STEPS], 0, VOCAB, 'int32') as tf.Tensor2D;
  const optimizer = createOptimizer({ name: 'sgd', lr });
  const vars = lm.trainableVariables();
  return {
    paramCount: () => countParams(vars.map((v) => v.shape)),
    trainStep: () => clippedStep(() => lm.loss({ X, Y }).loss as tf.Scalar, vars, optimizer),
    forward() {
      const logits = tf.tidy(() => lm.forward(X).logits);
      logits.dataSync();
      logits.dispose();
    },
    dispose() {
      tf.dispose([X, Y]);
      optimizer.dispose();
      lm.dispose();
    },
  };
}

function spec(name: keyof typeof LM_TORCH_PARAMS, kind: CellKind, impl: EncoderImpl): BenchModelSpec {
  const key = `${kind}lm${impl === 'scratch' ? 'scratch' : ''}`;
  return {
    name,
    trainBatch: () => 32,
    forwardBatch: 32,
    warmup: 5,
    iters: 10,
    torchKeys: { train: key, forward: `${key}fwd` },
    torchGroup: 'lm',
    torchParams: LM_TORCH_PARAMS[name],
    create: ({ batch, lr }) => charLM(kind, impl, batch, lr),
  };
}

export const gruLM = spec('gru-lm', 'gru', 'layers');
export const lstmLM = spec('lstm-lm', 'lstm', 'layers');
export const gruLMScratch = spec('gru-lm-scratch', 'gru', 'scratch');
export const lstmLMScratch = spec('lstm-lm-scratch', 'lstm', 'scratch');
