/**
 * `pnpm vision models`: the zoo, one line per model with its trainable parameter count (as
 * PyTorch counts them), default input and summary.
 *
 *   pnpm vision models
 */
import { defineCommand } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import { countParameters, createModel, MODELS, modelNames } from '@dlpipe/vision';

export const models = defineCommand({
  summary: 'list the zoo with parameter counts',
  description: 'Lists the zoo: name, parameters, default input (height×width×channels), what it is.',
  json: true,
  async run() {
    await initBackend();
    const rows = modelNames().map((name) => {
      const e = MODELS[name]!;
      const net = createModel(name);
      const params = countParameters(net);
      net.dispose();
      return { name, params, defaultInput: e.defaultInput, summary: e.summary };
    });
    return {
      lines: rows.map(
        (r) =>
          `${r.name.padEnd(12)} ${String(r.params).padStart(11)}  ${r.defaultInput.join('×').padEnd(11)} ${r.summary}`,
      ),
      data: rows,
    };
  },
});
