/**
 * `pnpm label stats` and `pnpm label export`: what the store holds (items by source and label,
 * pseudo-labels per iteration and their confidence, boxes by status and class), and the labels as
 * CSV/Feather.
 *
 *   pnpm label stats --store labels.sqlite [--json]
 */
import { checkOutputFile, defineCommand } from '@dlpipe/core';
import { type BoxStats, exportLabels, type LabelStats } from '@dlpipe/label';
import { z } from 'zod';
import { storeFlag, withLabelStore } from '../store-flags.js';

/** `a 1, b 2` of a count record. */
const counts = (r: Record<string, number>, sep = ' ') =>
  Object.entries(r)
    .map(([k, v]) => `${k}${sep}${v}`)
    .join(', ');

/** Box counts as lines, when the store has boxes. */
function boxLines(b: BoxStats): string[] {
  if (b.boxes === 0) return [];
  const byLabel = Object.entries(b.byLabel).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  return [
    `boxes: ${b.boxes} on ${b.images} images; by status: ${counts(b.byStatus)}`,
    `boxes by class: ${counts(Object.fromEntries(byLabel))}`,
  ];
}

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
  summary: 'counts by source, label and iteration; pseudo-label confidence; boxes by status and class',
  description:
    'Prints how many items the store labels, by source (human, pseudo, imported) and by label, and the pseudo-labels per self-training iteration with their confidence; and its boxes by review status (pending, accepted, rejected) and by class.',
  flags: { store: storeFlag },
  examples: ['pnpm label stats --store labels.sqlite --json'],
  json: true,
  async run({ store }) {
    const [s, boxes] = await withLabelStore(store, (st) => [st.stats(), st.boxStats()] as const, {
      readonly: true,
    });
    return { lines: [...statsLines(store, s), ...boxLines(boxes)], data: { ...s, boxes } };
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
