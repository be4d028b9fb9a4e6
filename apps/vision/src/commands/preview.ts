import { join } from 'node:path';
import { defineCommand, ensureDir, Rng } from '@dlpipe/core';
import { initBackend, tf } from '@dlpipe/tensor';
import { augmentBatch, defaultAugmentation, loadClassificationData, writeImageGrid } from '@dlpipe/vision';
import { z } from 'zod';
import { dataFlags, dataOptions, runDir, runFlags } from '../args.js';

export const preview = defineCommand({
  summary: 'write a PNG grid of augmented samples',
  description: `Writes runs/<name or preview>/preview.png: --count held-out images after the training
augmentation (at --resize, default 96).`,
  flags: {
    ...dataFlags,
    ...runFlags,
    count: z.coerce.number().int().positive().default(16).meta({ description: 'images in the grid' }),
  },
  examples: ['pnpm vision preview --data photos/ --resize 96 --count 16 --name aug'],
  json: true,
  async run(o) {
    await initBackend();
    const size: [number, number] = [o.resize ?? 96, o.resize ?? 96];
    const d = await loadClassificationData({ ...dataOptions(o, { size, channels: 3 }), augment: false });
    const dir = runDir(o, 'preview');
    ensureDir(dir, 'run folder');
    const n = Math.min(o.count, d.test.x.shape[0]);
    const x = tf.slice(d.test.x, 0, n);
    const aug = augmentBatch(x, defaultAugmentation(size), new Rng(o.seed));
    const file = await writeImageGrid(aug, join(dir, 'preview.png'), { columns: Math.ceil(Math.sqrt(n)) });
    tf.dispose([x, aug, d.test.x, d.test.y]);
    return { lines: [file], data: { file, images: n } };
  },
});
