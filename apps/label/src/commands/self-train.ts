/**
 * `pnpm label self-train`: self-training on a CSV/Feather table; writes the table with labels
 * filled in (and where each came from), per-round holdout accuracy (JSON + PNG) with --holdout,
 * and pseudo-labels into a label store with --store.
 *
 *   pnpm label self-train --data x.csv --label-col y --threshold 0.9 --holdout h.csv --out labeled.csv
 */
import { writeFile } from 'node:fs/promises';
import { readTable, writeTable } from '@dlpipe/data';
import { type BaseName, openLabelStore, selfTrainTable, writeRoundsFigure } from '@dlpipe/label';
import { OptionsError } from '@dlpipe/tensor';
import { z } from 'zod';
import { type Command, list, parse } from '../args.js';

const USAGE = `usage: pnpm label self-train --data x.csv --label-col y --out labeled.csv
         [--threshold 0.75 | --k-best 10] [--max-iter 10|none] [--holdout h.csv]
         [--features a,b,c] [--text-col review] [--id-col id] [--classifier logistic|mlp|naive-bayes]
         [--C 1] [--no-scale] [--store labels.sqlite] [--plot accuracy.png] [--seed 0]

Unlabeled rows have an empty label (or -1 in a number column). Features: every column but the
label and id unless --features; --text-col trains naive Bayes on a text column instead.
--C is logistic regression's inverse regularization (default 1, as scikit-learn).
Writes --out (the data, labels filled in, plus label_source, label_confidence, label_iteration)
and with --holdout the accuracy after each round to <out>.rounds.json and --plot (default
<out>-accuracy.png and .svg). With --store, human labels there override the file's and pseudo-labels are
recorded for review.`;

const schema = z
  .object({
    _: z.tuple([]),
    data: z.string(),
    'label-col': z.string(),
    out: z.string(),
    threshold: z.coerce.number().min(0).lt(1).optional(),
    'k-best': z.coerce.number().int().positive().optional(),
    'max-iter': z.union([z.literal('none'), z.coerce.number().int().min(0)]).default(10),
    holdout: z.string().optional(),
    features: z.string().optional(),
    'text-col': z.string().optional(),
    'id-col': z.string().optional(),
    classifier: z.enum(['logistic', 'mlp', 'naive-bayes']).optional(),
    'no-scale': z.boolean().default(false),
    store: z.string().optional(),
    plot: z.string().optional(),
    seed: z.coerce.number().int().default(0),
    C: z.coerce.number().positive().optional(),
    delimiter: z.string().optional(),
    quiet: z.boolean().default(false),
  })
  .refine((o) => o.threshold === undefined || o['k-best'] === undefined, {
    message: '--threshold and --k-best exclude each other',
    path: ['k-best'],
  });

const OPTIONS = {
  data: { type: 'string' },
  'label-col': { type: 'string' },
  out: { type: 'string' },
  threshold: { type: 'string' },
  'k-best': { type: 'string' },
  'max-iter': { type: 'string' },
  holdout: { type: 'string' },
  features: { type: 'string' },
  'text-col': { type: 'string' },
  'id-col': { type: 'string' },
  classifier: { type: 'string' },
  'no-scale': { type: 'boolean' },
  store: { type: 'string' },
  plot: { type: 'string' },
  seed: { type: 'string' },
  C: { type: 'string' },
  delimiter: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
} as const;

/** Base path for side outputs: labeled.csv.gz → labeled. */
const stem = (p: string) => p.replace(/(\.(csv|tsv|txt|feather|arrow))?(\.(gz|zip))?$/i, '');

export const selfTrain: Command = {
  summary: 'self-train a classifier on partly labeled rows and write the labels',
  usage: USAGE,
  async run(argv) {
    const o = parse(argv, OPTIONS, schema, USAGE);
    const data = await readTable(o.data, { delimiter: o.delimiter });
    if (!data.has(o['label-col'])) {
      throw new OptionsError(
        `${o.data}: no label column '${o['label-col']}'; the file has [${data.columnNames.join(', ')}]: pass --label-col`,
      );
    }
    const holdout = o.holdout ? await readTable(o.holdout, { delimiter: o.delimiter }) : undefined;
    if (holdout && !holdout.has(o['label-col'])) {
      throw new OptionsError(
        `${o.holdout}: no label column '${o['label-col']}'; the file has [${holdout.columnNames.join(', ')}]`,
      );
    }
    const store = o.store ? openLabelStore(o.store) : undefined;
    try {
      const r = await selfTrainTable({
        data,
        labelCol: o['label-col'],
        features: list(o.features),
        textCol: o['text-col'],
        idCol: o['id-col'],
        classifier: o.classifier as BaseName | undefined,
        scale: !o['no-scale'],
        holdout,
        store,
        seed: o.seed,
        C: o.C,
        criterion: o['k-best'] ? 'k_best' : 'threshold',
        threshold: o.threshold,
        kBest: o['k-best'],
        maxIter: o['max-iter'] === 'none' ? null : o['max-iter'],
        progress: !o.quiet,
      });
      await writeTable(o.out, r.table);
      for (const w of r.warnings) console.error(`warning: ${w}`);
      console.log(
        `${r.counts.given} given + ${r.counts.pseudo} pseudo-labels (${r.counts.unlabeled} left unlabeled) after ` +
          `${r.nIter} rounds (${r.terminationCondition}); classes ${r.classes.join(', ')}`,
      );
      const files = [o.out];
      if (holdout) {
        for (const x of r.rounds)
          console.log(
            `round ${x.round}: ${x.labeled} labeled, holdout accuracy ${x.holdoutAccuracy!.toFixed(4)}`,
          );
        const json = `${stem(o.out)}.rounds.json`;
        await writeFile(json, `${JSON.stringify(r.rounds, null, 1)}\n`);
        files.push(json, ...writeRoundsFigure(r.rounds, o.plot ?? `${stem(o.out)}-accuracy`));
      }
      console.log(`wrote ${files.join(', ')}`);
    } finally {
      store?.close();
    }
    return 0;
  },
};
