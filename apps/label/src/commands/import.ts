/**
 * `pnpm label import`: human labels from a CSV (a filled-in review sheet, an annotation export)
 * into the store; they override pseudo-labels for the same items.
 *
 *   pnpm label import --store labels.sqlite --labels reviewed.csv --id-col id --label-col label
 */
import { importLabelsCsv, openLabelStore } from '@dlpipe/label';
import { z } from 'zod';
import { type Command, parse } from '../args.js';

const USAGE = `usage: pnpm label import --store labels.sqlite --labels file.csv [--id-col id] [--label-col label]
         [--source imported|human] [--delimiter ,]

Rows with an empty label are left alone. Imported labels override pseudo-labels.`;

const schema = z.object({
  _: z.tuple([]),
  store: z.string(),
  labels: z.string(),
  'id-col': z.string().default('id'),
  'label-col': z.string().default('label'),
  source: z.enum(['imported', 'human']).default('imported'),
  delimiter: z.string().optional(),
});

export const importCmd: Command = {
  summary: 'import human labels from a CSV (they override pseudo-labels)',
  usage: USAGE,
  async run(argv) {
    const o = parse(
      argv,
      {
        store: { type: 'string' },
        labels: { type: 'string' },
        'id-col': { type: 'string' },
        'label-col': { type: 'string' },
        source: { type: 'string' },
        delimiter: { type: 'string' },
      },
      schema,
      USAGE,
    );
    const store = openLabelStore(o.store);
    try {
      const r = await importLabelsCsv(store, o.labels, {
        idCol: o['id-col'],
        labelCol: o['label-col'],
        source: o.source,
        delimiter: o.delimiter,
      });
      console.log(
        `${o.labels}: imported ${r.added} labels (${r.overridden} replaced pseudo-labels, ${r.empty} rows without a label)`,
      );
    } finally {
      store.close();
    }
    return 0;
  },
};
