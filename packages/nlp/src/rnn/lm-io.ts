/**
 * Saving and loading an `RNNLM` with its vocabulary: weights as model.json + shards (dlpipe's
 * `saveWeights`), options and vocabulary tokens in its metadata; loading checks both.
 *
 *   await saveRNNLM(lm, vocab, 'runs/lm-gru/model');
 *   const { lm, vocab } = await loadRNNLM('runs/lm-gru/model');
 */
import { loadWeights, saveWeights, tf } from '@dlpipe/tensor';
import { z } from 'zod';
import { ModelUseError, VocabError } from '../errors.js';
import { Vocab } from '../vocab/vocab.js';
import { RNNLM, rnnLMOptionsSchema } from './rnn-lm.js';

const metaSchema = z.object({
  format: z.literal('dlpipe-rnnlm-1'),
  options: rnnLMOptionsSchema,
  vocab: z.array(z.string()).min(2),
  fingerprint: z.string(),
});

export async function saveRNNLM(lm: RNNLM, vocab: Vocab, dir: string): Promise<void> {
  if (vocab.size !== lm.options.vocabSize) {
    throw new VocabError(
      `the vocab has ${vocab.size} tokens but the model ${lm.options.vocabSize}; save the vocab it was trained with.`,
    );
  }
  const named = lm.stateTensors().map((tensor, i) => ({ name: `w${i}`, tensor }));
  await saveWeights(dir, named, {
    format: 'dlpipe-rnnlm-1',
    options: lm.options,
    vocab: [...vocab.tokens],
    fingerprint: vocab.fingerprint,
  });
}

/** Checks count and shapes first (a mismatch changes nothing), then assigns. */
function assignAll(lm: RNNLM, values: tf.Tensor[], dir: string): void {
  const targets = lm.stateTensors();
  const shapes = (ts: tf.Tensor[]) => ts.map((t) => `[${t.shape}]`).join(' ');
  if (
    targets.length !== values.length ||
    targets.some((t, i) => t.shape.join() !== values[i]!.shape.join())
  ) {
    lm.dispose();
    throw new ModelUseError(
      `${dir}: saved weights ${shapes(values)} do not fit the model ${shapes(targets)}; the files were altered or mixed.`,
    );
  }
  targets.forEach((t, i) => {
    t.assign(values[i]!);
  });
}

export async function loadRNNLM(dir: string): Promise<{ lm: RNNLM; vocab: Vocab }> {
  const { weights, metadata } = await loadWeights(dir);
  try {
    const r = metaSchema.safeParse(metadata);
    if (!r.success) {
      throw new ModelUseError(
        `${dir}: not an RNN language model saved by saveRNNLM (its metadata does not match); train one with \`pnpm nlp lm train --model gru\`.`,
      );
    }
    const vocab = new Vocab(r.data.vocab);
    if (vocab.fingerprint !== r.data.fingerprint) {
      throw new VocabError(
        `${dir}: the saved vocabulary's fingerprint ${vocab.fingerprint} differs from ${r.data.fingerprint}; the file was altered.`,
      );
    }
    const lm = new RNNLM(r.data.options);
    assignAll(
      lm,
      weights.map((w) => w.tensor),
      dir,
    );
    return { lm, vocab };
  } finally {
    tf.dispose(weights.map((w) => w.tensor));
  }
}
