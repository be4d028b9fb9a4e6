/**
 * `pnpm vision models`: the zoo, one line per model with its trainable parameter count (as
 * PyTorch counts them), default input, training defaults (optimizer, lr, epochs: what
 * `pnpm vision train` uses unless told otherwise) and summary.
 *
 *   pnpm vision models
 */
import { defineCommand } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import { countParameters, createModel, MODELS, modelNames } from '@dlpipe/vision';

export const models = defineCommand({
  summary: 'list the zoo with parameter counts and training defaults',
  description: `Lists the zoo: name, parameters, default input (height×width×channels), the training
defaults \`pnpm vision train\` uses unless --optimizer, --lr or --epochs say otherwise (batch 128;
weights initialized as d2l's init_cnn: Xavier-uniform kernels, PyTorch's default biases), and what
the model is. --json adds where each default comes from.`,
  json: true,
  async run() {
    await initBackend();
    const rows = modelNames().map((name) => {
      const e = MODELS[name]!;
      const net = createModel(name);
      const params = countParameters(net);
      net.dispose();
      return { name, params, defaultInput: e.defaultInput, train: e.train, summary: e.summary };
    });
    const header = `${'model'.padEnd(12)} ${'params'.padStart(11)}  ${'input'.padEnd(11)} ${'defaults'.padEnd(28)} summary`;
    return {
      lines: [
        header,
        ...rows.map(
          (r) =>
            `${r.name.padEnd(12)} ${String(r.params).padStart(11)}  ${r.defaultInput.join('×').padEnd(11)} ` +
            `${`${r.train.optimizer} lr ${r.train.lr}, ${r.train.epochs} epochs`.padEnd(28)} ${r.summary}`,
        ),
      ],
      data: rows,
    };
  },
});
