/**
 * `pnpm label import`: human labels from a CSV (a filled-in review sheet, an annotation export)
 * into the store; they override pseudo-labels for the same items.
 *
 *   pnpm label import --store labels.sqlite --labels reviewed.csv --id-col id --label-col label
 */
import { existsSync } from 'node:fs';
import { checkInputFile, checkOutputFile, defineCommand } from '@dlpipe/core';
import { importLabelsCsv } from '@dlpipe/label';
import { z } from 'zod';
import { withLabelStore } from '../store-flags.js';

export const importCmd = defineCommand({
  summary: 'import human labels from a CSV (they override pseudo-labels)',
  description: 'Rows with an empty label are left alone. Imported labels override pseudo-labels.',
  flags: {
    store: z.string().meta({
      placeholder: 'FILE',
      description: 'the label store to write into (SQLite, made when missing; required)',
    }),
    labels: z.string().meta({ placeholder: 'FILE', description: 'the CSV with the labels (required)' }),
    idCol: z.string().default('id').meta({ placeholder: 'COL', description: 'the column of item ids' }),
    labelCol: z.string().default('label').meta({ placeholder: 'COL', description: 'the column of labels' }),
    source: z.enum(['imported', 'human']).default('imported').describe('the source the labels are stored as'),
    delimiter: z
      .string()
      .optional()
      .meta({ placeholder: 'CHAR', description: "the CSV's field delimiter (default ',')" }),
  },
  examples: ['pnpm label import --store labels.sqlite --labels reviewed.csv --id-col id --label-col label'],
  json: true,
  async run({ store, labels, ...o }) {
    checkInputFile(labels, 'labels file');
    // a new store goes in an existing folder (a typo there must not make a tree), like every output
    if (!existsSync(store)) checkOutputFile(store, 'label store');
    const r = await withLabelStore(store, (s) => importLabelsCsv(s, labels, o));
    return {
      lines: [
        `${labels}: imported ${r.added} labels (${r.overridden} replaced pseudo-labels, ${r.empty} rows without a label)`,
      ],
      data: { file: labels, ...r },
    };
  },
});
