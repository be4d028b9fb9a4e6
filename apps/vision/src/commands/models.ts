/**
 * `pnpm vision models`: the zoo, one line per model with its trainable parameter count (as
 * PyTorch counts them), default input and summary.
 *
 *   pnpm vision models
 */
import { countParameters, createModel, MODELS, modelNames } from '@dlpipe/vision';
import { z } from 'zod';
import { visionCommand } from '../args.js';

const USAGE = `usage: pnpm vision models

Lists the zoo: name, parameters, default input (height×width×channels), what it is.`;

export const models = visionCommand({
  summary: 'list the zoo with parameter counts',
  usage: USAGE,
  options: {},
  schema: z.object({ _: z.tuple([]) }),
  async run() {
    return modelNames().map((name) => {
      const e = MODELS[name]!;
      const net = createModel(name);
      const line = `${name.padEnd(12)} ${String(countParameters(net)).padStart(11)}  ${e.defaultInput.join('×').padEnd(11)} ${e.summary}`;
      net.dispose();
      return line;
    });
  },
});
