/**
 * `pnpm vision preview`: a PNG grid of augmented training samples (random resized crop and
 * horizontal flip, seeded), to check what the augmentation does.
 *
 *   pnpm vision preview --data photos/ --resize 96 --count 16 --name aug
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, tf } from '@dlpipe/tensor';
import { augmentBatch, writeImageGrid } from '@dlpipe/vision';
import { z } from 'zod';
import {
  DATA_OPTIONS,
  dataFields,
  dataOptions,
  RUN_OPTIONS,
  runDir,
  runFields,
  visionCommand,
} from '../args.js';
import { cliAugmentation, loadData } from '../data.js';

const USAGE = `usage: pnpm vision preview [--data FOLDER|MANIFEST | --dataset fashion-mnist] [--resize 96] [--count 16]
         [--name RUN] [--runs runs] [--seed 42]

Writes runs/<name or preview>/preview.png: --count images after the training augmentation.`;

export const preview = visionCommand({
  summary: 'write a PNG grid of augmented samples',
  usage: USAGE,
  options: { ...DATA_OPTIONS, ...RUN_OPTIONS, count: { type: 'string' } },
  schema: z.object({
    _: z.tuple([]),
    ...dataFields,
    ...runFields,
    count: z.coerce.number().int().positive().default(16),
  }),
  async run(o) {
    const size: [number, number] = [o.resize ?? 96, o.resize ?? 96];
    const d = await loadData({ ...dataOptions(o), augment: false }, { size, channels: 3 });
    const n = Math.min(o.count, d.test.x.shape[0]);
    const x = tf.slice(d.test.x, 0, n) as tf.Tensor4D;
    const aug = augmentBatch(x, cliAugmentation(size), new Rng(o.seed));
    const dir = runDir(o, 'preview');
    mkdirSync(dir, { recursive: true });
    return [await writeImageGrid(aug, join(dir, 'preview.png'), { columns: Math.ceil(Math.sqrt(n)) })];
  },
});
