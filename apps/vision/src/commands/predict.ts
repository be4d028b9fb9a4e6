/**
 * `pnpm vision predict <image|folder|manifest> --name RUN`: the top-k classes with softmax scores
 * for each image, from a trained run's model (@dlpipe/vision's `predict`).
 *
 *   pnpm vision predict photos/ --name lenet --top-k 3
 */
import { defineCommand } from '@dlpipe/core';
import { initBackend } from '@dlpipe/tensor';
import { predict as predictImages } from '@dlpipe/vision';
import { z } from 'zod';
import { runDir, runFlags } from '../args.js';

export const predict = defineCommand({
  summary: 'top-k classes with scores for an image, a folder or a manifest',
  description: `Prints "path: class score, …" for each image (a folder: every image in its class
subfolders, or in it; a .csv/.jsonl manifest: its paths). Images are resized to the model's input.`,
  args: { path: z.string().describe('an image, a folder of images or a .csv/.jsonl manifest') },
  flags: {
    ...runFlags,
    topK: z.coerce
      .number()
      .int()
      .positive()
      .default(5)
      .meta({ short: 'k', description: 'classes per image' }),
  },
  examples: ['pnpm vision predict photos/ --name lenet --top-k 3'],
  json: true,
  async run(o) {
    await initBackend();
    const rows = await predictImages({ runDir: runDir(o, o.model), input: o.path, topK: o.topK });
    return {
      lines: rows.map(
        (r) => `${r.path}: ${r.top.map((t) => `${t.className} ${t.score.toFixed(3)}`).join(', ')}`,
      ),
      data: rows,
    };
  },
});
