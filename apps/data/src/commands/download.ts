/**
 * `pnpm data download mnist|fashion-mnist`: the canonical files, SHA-256 checked, into the cache
 * (atomic writes; files already there with the right checksum are kept).
 *
 *   pnpm data download fashion-mnist --cache-dir ~/.cache/dlpipe
 */
import { DATASET_FILES, downloadDataset } from '@dlpipe/data';
import { z } from 'zod';
import { type Command, parse } from '../args.js';

const USAGE = `usage: pnpm data download <mnist|fashion-mnist> [--cache-dir DIR] [--mirror URL]

Downloads the four idx files with their published SHA-256 checksums into DIR/datasets/<name>
(default $DLPIPE_CACHE or ~/.cache/dlpipe), then prints the directory: pass it to --dataset.`;

const schema = z.object({
  _: z.tuple([z.enum(['mnist', 'fashion-mnist'])]),
  'cache-dir': z.string().optional(),
  mirror: z.string().url().optional(),
});

export const download: Command = {
  summary: `download a dataset's canonical files (${Object.keys(DATASET_FILES).join(', ')}) with checksums`,
  usage: USAGE,
  async run(argv) {
    const o = parse(argv, { 'cache-dir': { type: 'string' }, mirror: { type: 'string' } }, schema, USAGE);
    const dir = await downloadDataset(o._[0], { cacheDir: o['cache-dir'], baseUrl: o.mirror });
    console.log(dir);
    return 0;
  },
};
