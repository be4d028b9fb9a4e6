/**
 * `pnpm label stats` and `pnpm label export`: what the store holds (items by source and label,
 * pseudo-labels per iteration and their confidence), and the labels as CSV/Feather.
 *
 *   pnpm label stats --store labels.sqlite [--json]
 */
import { checkOutputFile, defineCommand } from '@dlpipe/core';
import { exportLabels, type LabelStats } from '@dlpipe/label';
import { z } from 'zod';
import { storeFlag, withLabelStore } from '../store-flags.js';

/** `a 1, b 2` of a count record. */
const counts = (r: Record<string, number>, sep = ' ') =>
  Object.entries(r)
    .map(([k, v]) => `${k}${sep}${v}`)
    .join(', ');

/** The stats as lines for people. */
function statsLines(store: string, s: LabelStats): string[] {
  const lines = [
    `${store}: ${s.items} labeled items, ${s.records} label records`,
    `by source: ${counts(s.bySource)}`,
    `by label: ${counts(Object.fromEntries(Object.entries(s.byLabel).sort()))}`,
  ];
  if (s.pseudoConfidence) {
    const c = s.pseudoConfidence;
    lines.push(
      `pseudo-labels by iteration: ${counts(s.byIteration, ': ')}`,
      `pseudo-label confidence: mean ${c.mean.toFixed(3)}, min ${c.min.toFixed(3)}, max ${c.max.toFixed(3)}`,
    );
  }
  return lines;
}

export const stats = defineCommand({
  summary: 'counts by source, label and iteration; pseudo-label confidence',
  description:
    'Prints how many items the store labels, by source (human, pseudo, imported) and by label, and the pseudo-labels per self-training iteration with their confidence.',
  flags: { store: storeFlag },
  examples: ['pnpm label stats --store labels.sqlite --json'],
  json: true,
  async run({ store }) {
    const s = await withLabelStore(store, (st) => st.stats(), { readonly: true });
    return { lines: statsLines(store, s), data: s };
  },
});

export const exportCmd = defineCommand({
  summary: 'write the labels (or their history) as CSV/Feather',
  description:
    'Writes the current label of every item (or, with --history, every label ever recorded), atomically.',
  flags: {
    store: storeFlag,
    out: z.string().meta({ placeholder: 'FILE', description: 'the CSV or Feather file to write (required)' }),
    history: z.boolean().default(false).describe('every label ever recorded, not only the current ones'),
  },
  examples: ['pnpm label export --store labels.sqlite --out labels.csv'],
  json: true,
  async run({ store, out, history }) {
    checkOutputFile(out);
    const n = await withLabelStore(store, (s) => exportLabels(s, out, { history }), { readonly: true });
    return { lines: [`wrote ${n} labels to ${out}`], data: { file: out, labels: n, history } };
  },
});
