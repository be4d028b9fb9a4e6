/**
 * `pnpm label stats` and `pnpm label export`: what the store holds (items by source and label,
 * pseudo-labels per iteration and their confidence), and the labels as CSV/Feather.
 *
 *   pnpm label stats --store labels.sqlite [--json]
 */
import { exportLabels, openLabelStore } from '@dlpipe/label';
import { z } from 'zod';
import { type Command, parse } from '../args.js';

const STATS_USAGE = `usage: pnpm label stats --store labels.sqlite [--json]`;
const EXPORT_USAGE = `usage: pnpm label export --store labels.sqlite --out labels.csv [--history]

Writes the current label of every item (or, with --history, every label ever recorded).`;

export const stats: Command = {
  summary: 'counts by source, label and iteration; pseudo-label confidence',
  usage: STATS_USAGE,
  async run(argv) {
    const o = parse(
      argv,
      { store: { type: 'string' }, json: { type: 'boolean' } },
      z.object({ _: z.tuple([]), store: z.string(), json: z.boolean().default(false) }),
      STATS_USAGE,
    );
    const store = openLabelStore(o.store);
    try {
      const s = store.stats();
      if (o.json) {
        console.log(JSON.stringify(s, null, 2));
        return 0;
      }
      console.log(`${o.store}: ${s.items} labeled items, ${s.records} label records`);
      console.log(
        `by source: ${Object.entries(s.bySource)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      console.log(
        `by label: ${Object.entries(s.byLabel)
          .sort()
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
      if (s.pseudoConfidence) {
        const c = s.pseudoConfidence;
        console.log(
          `pseudo-labels by iteration: ${Object.entries(s.byIteration)
            .map(([k, v]) => `${k}: ${v}`)
            .join(', ')}`,
        );
        console.log(
          `pseudo-label confidence: mean ${c.mean.toFixed(3)}, min ${c.min.toFixed(3)}, max ${c.max.toFixed(3)}`,
        );
      }
    } finally {
      store.close();
    }
    return 0;
  },
};

export const exportCmd: Command = {
  summary: 'write the labels (or their history) as CSV/Feather',
  usage: EXPORT_USAGE,
  async run(argv) {
    const schema = z.object({
      _: z.tuple([]),
      store: z.string(),
      out: z.string(),
      history: z.boolean().default(false),
    });
    const o = parse(
      argv,
      { store: { type: 'string' }, out: { type: 'string' }, history: { type: 'boolean' } },
      schema,
      EXPORT_USAGE,
    );
    const store = openLabelStore(o.store);
    try {
      console.log(`wrote ${await exportLabels(store, o.out, { history: o.history })} labels to ${o.out}`);
    } finally {
      store.close();
    }
    return 0;
  },
};
