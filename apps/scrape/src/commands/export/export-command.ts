/**
 * `dlpipe-scrape export <run> --format jsonl|csv|feather`: writes a run's dataset (or, with
 * --images, its image manifest) to a file; prints the path and row count.
 *
 *   pnpm scrape export 3 --format csv --out shop.csv
 */
import { EXPORT_FORMATS, type ExportFormat, exportRun } from '@dlpipe/scrape';
import { z } from 'zod';
import { type Command, defaultStorage, findRun, openStore, parseCommand, STORE_OPTIONS } from '../../args.js';

const USAGE = `usage: dlpipe-scrape export <run> --format jsonl|csv|feather [--out FILE] [--images] [--storage runs/scrape]

Writes the dataset of <run> (an id, or a job name for its newest run), or with --images its image
manifest (file, sha256, src, alt, pageUrl, width, height, bytes, contentType), by default into the
run's directory.`;

const schema = z.object({
  storage: z.string().default(defaultStorage()),
  format: z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]], {
    error: `expected one of ${EXPORT_FORMATS.join(', ')}`,
  }),
  out: z.string().optional(),
  images: z.boolean().default(false),
});

const OPTIONS = {
  ...STORE_OPTIONS,
  format: { type: 'string' },
  out: { type: 'string' },
  images: { type: 'boolean' },
} as const;

async function main(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseCommand(argv, OPTIONS, schema, USAGE, { min: 1, max: 1 });
  const store = openStore(o.storage);
  try {
    const run = await findRun(store, positionals[0]!);
    const r = await exportRun(store, run.id, {
      format: o.format,
      out: o.out,
      storageDir: o.storage,
      what: o.images ? 'images' : 'records',
    });
    console.log(
      `wrote ${r.rows} ${o.images ? 'image rows' : 'records'} of run ${run.id} (${run.job}) to ${r.path}`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

export const exportCommand: Command = { usage: USAGE, main };
