/**
 * `dlpipe-scrape export <run> --format jsonl|csv|feather`: writes a run's dataset (or, with
 * --images, its image manifest) to a file; prints the path and row count.
 *
 *   pnpm scrape export 3 --format csv --out shop.csv
 */
import { checkOutputFile, defineCommand } from '@dlpipe/core';
import { EXPORT_FORMATS, type ExportFormat, exportRun } from '@dlpipe/scrape';
import { z } from 'zod';
import { checkStorage, findRun, openExistingStore, storageFlag } from '../../storage.js';
import { SUMMARIES } from '../../summaries.js';

export const exportCommand = defineCommand({
  summary: SUMMARIES.export,
  description: `Writes the dataset of <run> (an id, or a job name for its newest run), or with --images its image
manifest (file, sha256, src, alt, pageUrl, width, height, bytes, contentType), by default into the
run's directory.`,
  args: { run: z.string().describe('a run id, or a job name for its newest run') },
  flags: {
    format: z
      .enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]], {
        error: `expected one of ${EXPORT_FORMATS.join(', ')}`,
      })
      .describe('the file format (required)'),
    out: z
      .string()
      .optional()
      .meta({ placeholder: 'FILE', description: "the file (default: in the run's directory)" }),
    images: z.boolean().default(false).describe('the image manifest instead of the records'),
    storage: storageFlag,
  },
  examples: [
    'pnpm scrape export 3 --format csv --out shop.csv',
    'pnpm scrape export demo-shop --format csv --images',
  ],
  json: true,
  async run(o) {
    if (o.out) checkOutputFile(o.out, 'export file'); // before the run is looked up: a typo costs nothing
    checkStorage(o.storage);
    const store = openExistingStore(o.storage);
    try {
      const run = await findRun(store, o.run);
      const what = o.images ? 'images' : 'records';
      const r = await exportRun(store, run.id, { format: o.format, out: o.out, storageDir: o.storage, what });
      return {
        lines: [
          `wrote ${r.rows} ${o.images ? 'image rows' : 'records'} of run ${run.id} (${run.job}) to ${r.path}`,
        ],
        data: { run: run.id, job: run.job, what, format: o.format, path: r.path, rows: r.rows },
      };
    } finally {
      await store.close();
    }
  },
});
