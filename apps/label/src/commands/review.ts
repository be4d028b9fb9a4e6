/**
 * `pnpm label review`: the least confident pseudo-labels, to check by hand. Prints them (with
 * the row's data when --data is given), writes them as a CSV to fill in (--out, then
 * `pnpm label import`), or asks about each one (--interactive: enter accepts, a label corrects,
 * s skips, q quits); answers are stored as human labels.
 *
 *   pnpm label review --store labels.sqlite --limit 20 --out to-review.csv
 */
import { createInterface } from 'node:readline/promises';
import { checkInputFile, checkOutputFile, defineCommand, withAtomicFile } from '@dlpipe/core';
import { readTable, type Table, writeTable } from '@dlpipe/data';
import { type LabelStore, labelsTable } from '@dlpipe/label';
import { z } from 'zod';
import { storeFlag, withLabelStore } from '../store-flags.js';

/** The data row of each item, as "col=value" text, when a data file is given. */
async function rowText(path: string | undefined, idCol: string | undefined): Promise<Map<string, string>> {
  if (!path) return new Map();
  const t: Table = await readTable(path);
  const col = idCol ?? (t.has('id') ? 'id' : undefined);
  const ids = col ? t.strings(col) : Array.from({ length: t.nRows }, (_, i) => String(i));
  return new Map(
    ids.map((id, i) => [
      id ?? String(i),
      Object.entries(t.row(i))
        .map(([k, v]) => `${k}=${v === null ? 'NA' : String(v).slice(0, 40)}`)
        .join(' '),
    ]),
  );
}

async function ask(
  store: LabelStore,
  queue: ReturnType<LabelStore['reviewQueue']>,
  rows: Map<string, string>,
): Promise<number> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  let n = 0;
  try {
    for (const r of queue) {
      const ctx = rows.get(r.itemId);
      const a = (
        await rl.question(
          `${r.itemId}${ctx ? ` [${ctx}]` : ''}\n  pseudo '${r.label}' (p=${r.confidence?.toFixed(3)}) — enter=accept, label=correct, s=skip, q=quit: `,
        )
      ).trim();
      if (a === 'q') break;
      if (a === 's') continue;
      store.add([{ itemId: r.itemId, label: a === '' ? r.label : a, source: 'human' }]);
      n++;
    }
  } finally {
    rl.close();
  }
  return n;
}

export const review = defineCommand({
  summary: 'list, export or interactively check the least confident pseudo-labels',
  description: `Lists the least confident pseudo-labels (least confident first). --out writes them as a CSV
(id, label, confidence, iteration): correct the 'label' column, then run pnpm label import.
--interactive asks for each one; answers are stored as human labels.`,
  flags: {
    store: storeFlag,
    limit: z.coerce.number().int().positive().default(20).describe('how many to list'),
    maxConfidence: z.coerce
      .number()
      .min(0)
      .max(1)
      .optional()
      .meta({ placeholder: 'P', description: 'only pseudo-labels at most this confident' }),
    data: z
      .string()
      .optional()
      .meta({ placeholder: 'FILE', description: "the data table, to show each item's row" }),
    idCol: z.string().optional().meta({
      placeholder: 'COL',
      description: "--data's id column (default: id if there is one, else the row number)",
    }),
    out: z.string().optional().meta({ placeholder: 'FILE', description: 'write them as a CSV to correct' }),
    interactive: z.boolean().default(false).meta({ short: 'i', description: 'ask about each one' }),
  },
  examples: [
    'pnpm label review --store labels.sqlite --limit 20 --out to-review.csv',
    'pnpm label review --store labels.sqlite --data x.csv -i',
  ],
  json: true,
  async run({ store: path, limit, maxConfidence, data, idCol, out, interactive }) {
    if (data) checkInputFile(data, 'data table');
    if (out && !interactive) checkOutputFile(out);
    // listing and --out only read: a mistyped path must not become a new, empty store
    const mode = interactive ? { mustExist: true } : { readonly: true };
    const rows = await rowText(data, idCol); // before the store is opened: a bad --data touches nothing
    return withLabelStore(
      path,
      async (store) => {
        const queue = store.reviewQueue({ limit, maxConfidence });
        if (queue.length === 0) return { lines: ['no pseudo-labels to review'], data: { items: [] } };
        if (interactive) {
          const stored = await ask(store, queue, rows);
          return { lines: [`stored ${stored} human labels`], data: { items: queue, stored } };
        }
        if (out) {
          const sheet = labelsTable(queue).select(['id', 'label', 'confidence', 'iteration']);
          await withAtomicFile(out, (tmp) => writeTable(tmp, sheet));
          return {
            lines: [
              `wrote ${queue.length} items to ${out}: correct the 'label' column, then pnpm label import --store ${path} --labels ${out}`,
            ],
            data: { items: queue, file: out },
          };
        }
        const lines = queue.map((r) => {
          const ctx = rows.get(r.itemId);
          return `${r.itemId}\t${r.label}\tp=${r.confidence?.toFixed(3)}\titer ${r.iteration}${ctx ? `\t${ctx}` : ''}`;
        });
        return { lines, data: { items: queue.map((r) => ({ ...r, row: rows.get(r.itemId) })) } };
      },
      mode,
    );
  },
});
