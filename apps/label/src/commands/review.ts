/**
 * `pnpm label review`: the least confident pseudo-labels, to check by hand. Prints them (with
 * the row's data when --data is given), writes them as a CSV to fill in (--out, then
 * `pnpm label import`), or asks about each one (--interactive: enter accepts, a label corrects,
 * s skips, q quits); answers are stored as human labels.
 *
 *   pnpm label review --store labels.sqlite --limit 20 --out to-review.csv
 */
import { createInterface } from 'node:readline/promises';
import { readTable, type Table, writeTable } from '@dlpipe/data';
import { type LabelStore, labelsTable, openLabelStore } from '@dlpipe/label';
import { z } from 'zod';
import { type Command, parse } from '../args.js';

const USAGE = `usage: pnpm label review --store labels.sqlite [--limit 20] [--max-confidence 0.9]
         [--data x.csv [--id-col id]] [--out to-review.csv | --interactive]

Lists the least confident pseudo-labels (least confident first). --out writes them as a CSV
(id, label, confidence, iteration): correct the 'label' column, then run pnpm label import.
--interactive asks for each one; answers are stored as human labels.`;

const schema = z.object({
  _: z.tuple([]),
  store: z.string(),
  limit: z.coerce.number().int().positive().default(20),
  'max-confidence': z.coerce.number().min(0).max(1).optional(),
  data: z.string().optional(),
  'id-col': z.string().optional(),
  out: z.string().optional(),
  interactive: z.boolean().default(false),
});

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

export const review: Command = {
  summary: 'list, export or interactively check the least confident pseudo-labels',
  usage: USAGE,
  async run(argv) {
    const o = parse(
      argv,
      {
        store: { type: 'string' },
        limit: { type: 'string' },
        'max-confidence': { type: 'string' },
        data: { type: 'string' },
        'id-col': { type: 'string' },
        out: { type: 'string' },
        interactive: { type: 'boolean', short: 'i' },
      },
      schema,
      USAGE,
    );
    const store = openLabelStore(o.store);
    try {
      const queue = store.reviewQueue({ limit: o.limit, maxConfidence: o['max-confidence'] });
      if (queue.length === 0) {
        console.log('no pseudo-labels to review');
        return 0;
      }
      const rows = await rowText(o.data, o['id-col']);
      if (o.interactive) {
        console.log(`stored ${await ask(store, queue, rows)} human labels`);
        return 0;
      }
      if (o.out) {
        await writeTable(o.out, labelsTable(queue).select(['id', 'label', 'confidence', 'iteration']));
        console.log(
          `wrote ${queue.length} items to ${o.out}: correct the 'label' column, then pnpm label import --store ${o.store} --labels ${o.out}`,
        );
        return 0;
      }
      for (const r of queue) {
        const ctx = rows.get(r.itemId);
        console.log(
          `${r.itemId}\t${r.label}\tp=${r.confidence?.toFixed(3)}\titer ${r.iteration}${ctx ? `\t${ctx}` : ''}`,
        );
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
