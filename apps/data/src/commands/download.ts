/**
 * `pnpm data download mnist|fashion-mnist`: the canonical files, SHA-256 checked, into the cache
 * (atomic writes; files already there with the right checksum are kept).
 *
 *   pnpm data download fashion-mnist --cache-dir ~/.cache/dlpipe
 */
import { defineCommand } from '@dlpipe/core';
import { DATASET_FILES, downloadDataset } from '@dlpipe/data';
import { z } from 'zod';

export const download = defineCommand({
  summary: `download a dataset's canonical files (${Object.keys(DATASET_FILES).join(', ')}) with checksums`,
  description: `Downloads the four idx files with their published SHA-256 checksums into DIR/datasets/<name>
(default $DLPIPE_CACHE or ~/.cache/dlpipe), then prints the directory: pass it to --dataset.`,
  args: { name: z.enum(['mnist', 'fashion-mnist']).describe('the dataset: mnist or fashion-mnist') },
  flags: {
    cacheDir: z
      .string()
      .optional()
      .meta({ placeholder: 'DIR', description: 'the cache (default: $DLPIPE_CACHE or ~/.cache/dlpipe)' }),
    mirror: z
      .string()
      .url()
      .optional()
      .meta({ placeholder: 'URL', description: 'a mirror to download from' }),
  },
  examples: ['pnpm data download fashion-mnist --cache-dir ~/.cache/dlpipe'],
  json: true,
  async run({ name, cacheDir, mirror }) {
    const dir = await downloadDataset(name, { cacheDir, baseUrl: mirror });
    return { lines: [dir], data: { dataset: name, dir } };
  },
});
