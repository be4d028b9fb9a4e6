/**
 * `pnpm label self-train`: self-training on a CSV/Feather table; writes the table with labels
 * filled in (and where each came from), per-round holdout accuracy (JSON + PNG) with --holdout,
 * and pseudo-labels into a label store with --store. Every path is checked before training;
 * the files and the store change are all or nothing.
 *
 *   pnpm label self-train --data x.csv --label-col y --threshold 0.9 --holdout h.csv --out labeled.csv
 */
import { existsSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { checkInputFile, checkOutputFile, defineCommand, OptionsError } from '@dlpipe/core';
import { readTable, writeTable } from '@dlpipe/data';
import {
  checkOutputs,
  commitOutputs,
  type OutputFile,
  openLabelStore,
  roundsFigureFiles,
  roundsFigurePaths,
  selfTrainTable,
} from '@dlpipe/label';
import { z } from 'zod';

/** "a,b , c" → ['a', 'b', 'c']. */
const list = (s: string | undefined) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Base path for side outputs: labeled.csv.gz → labeled. */
const stem = (p: string) => p.replace(/(\.(csv|tsv|txt|feather|arrow))?(\.(gz|zip))?$/i, '');

export const selfTrain = defineCommand({
  summary: 'self-train a classifier on partly labeled rows and write the labels',
  description: `Unlabeled rows have an empty label (or -1 in a number column). Features: every column but the
label and id unless --features; --text-col trains naive Bayes on a text column instead.
Writes --out (the data, labels filled in, plus label_source, label_confidence, label_iteration)
and with --holdout the accuracy after each round to <out>.rounds.json and --plot (default
<out>-accuracy.png and .svg). With --store, human labels there override the file's and pseudo-labels are
recorded for review.`,
  flags: {
    data: z
      .string()
      .meta({ placeholder: 'FILE', description: 'the partly labeled table, CSV or Feather (required)' }),
    labelCol: z.string().meta({ placeholder: 'COL', description: 'the label column (required)' }),
    out: z.string().meta({ placeholder: 'FILE', description: 'the table with labels filled in (required)' }),
    threshold: z.coerce.number().min(0).lt(1).optional().meta({
      placeholder: 'P',
      description: 'pseudo-label rows predicted at least this confidently (default 0.75)',
    }),
    kBest: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .describe('instead: the k most confident rows per round'),
    maxIter: z
      .union([z.literal('none'), z.coerce.number().int().min(0)])
      .default(10)
      .meta({ placeholder: 'N|none', description: 'rounds at most (none: until no row is added)' }),
    holdout: z
      .string()
      .optional()
      .meta({ placeholder: 'FILE', description: 'a labeled table to score each round on' }),
    features: z
      .string()
      .optional()
      .transform(list)
      .meta({ placeholder: 'A,B,C', description: 'the feature columns (default: all but the label and id)' }),
    textCol: z
      .string()
      .optional()
      .meta({ placeholder: 'COL', description: 'a text column for naive Bayes, instead of features' }),
    idCol: z
      .string()
      .optional()
      .meta({ placeholder: 'COL', description: 'the id column (kept out of the features)' }),
    classifier: z
      .enum(['logistic', 'mlp', 'naive-bayes'])
      .optional()
      .describe('the base classifier (default: logistic, naive-bayes with --text-col)'),
    C: z.coerce
      .number()
      .positive()
      .optional()
      .describe("logistic regression's inverse regularization (default 1, as scikit-learn)"),
    noScale: z.boolean().default(false).describe('do not standardize the features'),
    store: z.string().optional().meta({
      placeholder: 'FILE',
      description: 'a label store: its human labels win, pseudo-labels are recorded',
    }),
    plot: z
      .string()
      .optional()
      .meta({ placeholder: 'FILE', description: 'the accuracy plot (default <out>-accuracy.png and .svg)' }),
    seed: z.coerce.number().int().default(0).describe('the seed of the classifier'),
    delimiter: z.string().optional().meta({ placeholder: 'CHAR', description: "the CSV's field delimiter" }),
    quiet: z.boolean().default(false).meta({ short: 'q', description: 'no progress bar' }),
  },
  examples: [
    'pnpm label self-train --data x.csv --label-col y --threshold 0.9 --holdout h.csv --out labeled.csv',
  ],
  json: true,
  async run(o) {
    if (o.threshold !== undefined && o.kBest !== undefined) {
      throw new OptionsError('--threshold and --k-best exclude each other: pass one of them');
    }
    // every path is checked before any work, so a typo costs nothing and leaves nothing behind
    checkInputFile(o.data, 'data table');
    if (o.holdout) checkInputFile(o.holdout, 'holdout table');
    const json = `${stem(o.out)}.rounds.json`;
    const plot = o.plot ?? `${stem(o.out)}-accuracy`;
    if (o.plot) checkOutputFile(o.plot, 'accuracy plot');
    checkOutputs([
      o.out,
      ...(o.holdout ? [json] : []),
      ...(o.holdout || o.plot ? roundsFigurePaths(plot) : []),
    ]);
    // a new store goes in an existing folder, like the other outputs
    if (o.store && !existsSync(o.store)) checkOutputFile(o.store, 'label store');
    const data = await readTable(o.data, { delimiter: o.delimiter });
    if (!data.has(o.labelCol)) {
      throw new OptionsError(
        `${o.data}: no label column '${o.labelCol}'; the file has [${data.columnNames.join(', ')}]: pass --label-col`,
      );
    }
    const holdout = o.holdout ? await readTable(o.holdout, { delimiter: o.delimiter }) : undefined;
    if (holdout && !holdout.has(o.labelCol)) {
      throw new OptionsError(
        `${o.holdout}: no label column '${o.labelCol}'; the file has [${holdout.columnNames.join(', ')}]`,
      );
    }
    const created = o.store !== undefined && !existsSync(o.store);
    const store = o.store ? openLabelStore(o.store) : undefined;
    let ok = false;
    try {
      const r = await selfTrainTable({
        data,
        labelCol: o.labelCol,
        features: o.features,
        textCol: o.textCol,
        idCol: o.idCol,
        classifier: o.classifier,
        scale: !o.noScale,
        holdout,
        store,
        record: false,
        seed: o.seed,
        C: o.C,
        criterion: o.kBest ? 'k_best' : 'threshold',
        threshold: o.threshold,
        kBest: o.kBest,
        maxIter: o.maxIter === 'none' ? null : o.maxIter,
        progress: !o.quiet,
      });
      const outputs: OutputFile[] = [{ path: o.out, write: (tmp) => writeTable(tmp, r.table) }];
      if (holdout) {
        outputs.push({
          path: json,
          write: (tmp) => writeFile(tmp, `${JSON.stringify(r.rounds, null, 1)}\n`),
        });
        for (const f of roundsFigureFiles(r.rounds, plot))
          outputs.push({ path: f.path, write: (tmp) => writeFile(tmp, f.data) });
      }
      // the pseudo-labels are committed only once every file is in place: all or nothing
      await commitOutputs(outputs, store, (s) => s.add(r.pseudoLabels));
      ok = true;
      for (const w of r.warnings) console.error(`warning: ${w}`);
      const lines = [
        `${r.counts.given} given + ${r.counts.pseudo} pseudo-labels (${r.counts.unlabeled} left unlabeled) after ` +
          `${r.nIter} rounds (${r.terminationCondition}); classes ${r.classes.join(', ')}`,
      ];
      if (holdout)
        for (const x of r.rounds)
          lines.push(
            `round ${x.round}: ${x.labeled} labeled, holdout accuracy ${x.holdoutAccuracy!.toFixed(4)}`,
          );
      const files = outputs.map((f) => f.path);
      lines.push(`wrote ${files.join(', ')}`);
      const { counts, nIter, terminationCondition, classes, rounds, warnings } = r;
      return { lines, data: { counts, nIter, terminationCondition, classes, rounds, warnings, files } };
    } finally {
      store?.close();
      // a store this run created and then failed to fill is removed, not left empty
      if (created && !ok) for (const f of ['', '-wal', '-shm']) rmSync(`${o.store}${f}`, { force: true });
    }
  },
});
