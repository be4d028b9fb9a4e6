/**
 * `pnpm label review-boxes`: the review step between `pnpm label detect` and `pnpm label
 * export-boxes`. Lists the pending boxes; --sheet writes a review sheet (a PNG per image with each
 * pending box drawn with its id, class and score, and boxes.csv with an empty decision column);
 * --apply reads the filled-in boxes.csv back (accept, reject, relabel:<class>) all or nothing;
 * --accept-above / --reject-below decide pending boxes by their score.
 *
 *   pnpm label review-boxes --store labels.sqlite --sheet review/
 *   pnpm label review-boxes --store labels.sqlite --apply review/boxes.csv
 *   pnpm label review-boxes --store labels.sqlite --accept-above 0.6 --reject-below 0.2 --dry-run
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  checkInputFile,
  defineCommand,
  ensureDir,
  OptionsError,
  PathError,
  withAtomicFile,
  writeFileAtomic,
} from '@dlpipe/core';
import { CsvError, readTable, Table, writeTable } from '@dlpipe/data';
import {
  applyBoxDecisions,
  BOX_DECISIONS,
  type BoxDecisionRow,
  type BoxRecord,
  checkBoxDecisions,
  decideByScore,
  type LabelStore,
  LabelStoreError,
  parseBoxDecision,
} from '@dlpipe/label';
import { z } from 'zod';
import { storeFlag, withLabelStore } from '../store-flags.js';

/** The sheet's table, and the name of its file in the sheet folder. */
const SHEET_CSV = 'boxes.csv';
/** Sheet pictures are scaled down to at most this many pixels on their longer side. */
const SHEET_SIDE = 1024;

/** The pending boxes grouped by image, in order of first appearance, at most `limit` images. */
function byImage(boxes: BoxRecord[], limit?: number): [string, BoxRecord[]][] {
  const m = new Map<string, BoxRecord[]>();
  for (const b of boxes) m.set(b.itemId, [...(m.get(b.itemId) ?? []), b]);
  return [...m].slice(0, limit);
}

/** The sheet picture's file name of the k-th image. */
const sheetName = (k: number, itemId: string) =>
  `${String(k + 1).padStart(4, '0')}-${basename(itemId).replace(/[^\w.-]+/g, '_')}.png`;

/** Refuses a --sheet that is a file, or a non-empty folder without --overwrite; makes its parent. */
function checkSheetDir(dir: string, overwrite: boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory())
      throw new PathError(dir, 'is a file; expected a folder (the review sheet)');
    if (!overwrite && readdirSync(dir).length > 0)
      throw new PathError(dir, 'exists and is not empty; pass --overwrite to replace it, or another folder');
  }
  try {
    ensureDir(dirname(dir), "review sheet's parent folder");
  } catch (err) {
    // name the sheet's folder, the argument given, not its parent
    if (err instanceof PathError)
      throw new PathError(dir, err.message.slice(err.path.length + 2), { cause: err });
    throw err;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const round2 = (v: number) => Math.round(v * 100) / 100;

/** Draws each image's pending boxes ("#id class score") and writes the PNGs and boxes.csv into `dir`. */
async function writeSheet(dir: string, images: [string, BoxRecord[]][]): Promise<void> {
  const { decodeImage, drawDetections } = await import('@dlpipe/vision');
  const rows: (BoxRecord & { sheet: string })[] = [];
  for (const [k, [itemId, boxes]] of images.entries()) {
    const img = await decodeImage(itemId, { channels: 3 });
    const { width: w, height: h } = img;
    const scale = Math.min(1, SHEET_SIDE / Math.max(w, h));
    const png = await drawDetections(
      {
        width: w,
        height: h,
        data: img.data instanceof Uint8Array ? img.data : Uint8Array.from(img.data, (v) => v >> 8),
      },
      boxes.map((b, i) => ({
        classId: i,
        score: b.score ?? 0,
        box: [b.x1 / w, b.y1 / h, b.x2 / w, b.y2 / h],
      })),
      {
        classNames: boxes.map((b) => `#${b.id} ${b.label}`),
        size: scale < 1 ? [Math.round(w * scale), Math.round(h * scale)] : undefined,
      },
    );
    const sheet = sheetName(k, itemId);
    await writeFileAtomic(join(dir, sheet), png);
    rows.push(...boxes.map((b) => ({ ...b, sheet })));
  }
  const table = Table.fromColumns(
    {
      id: rows.map((b) => b.id),
      image: rows.map((b) => b.itemId),
      sheet: rows.map((b) => b.sheet),
      class: rows.map((b) => b.label),
      score: rows.map((b) => b.score),
      x1: rows.map((b) => round2(b.x1)),
      y1: rows.map((b) => round2(b.y1)),
      x2: rows.map((b) => round2(b.x2)),
      y2: rows.map((b) => round2(b.y2)),
      decision: rows.map(() => null),
    },
    {
      dtypes: {
        id: 'int',
        image: 'string',
        sheet: 'string',
        class: 'string',
        score: 'float',
        decision: 'string',
      },
    },
  );
  await withAtomicFile(join(dir, SHEET_CSV), (tmp) => writeTable(tmp, table));
}

/** Writes the sheet into a sibling folder first, then swaps it in: a failed image leaves no half sheet. */
async function swapInSheet(dir: string, images: [string, BoxRecord[]][]): Promise<void> {
  const tmp = `${dir.replace(/[/\\]+$/, '')}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    await writeSheet(tmp, images);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** The sheet's filled-in decision rows (empty decisions left out), each with its CSV line. */
async function readDecisions(
  path: string,
): Promise<{ rows: BoxDecisionRow[]; classOf: Map<number, string> }> {
  checkInputFile(path, 'review sheet');
  const t = await readTable(path, { keepDefaultNa: false });
  for (const col of ['id', 'decision']) {
    if (!t.has(col))
      throw new CsvError(
        path,
        { line: 1, column: col },
        `no '${col}' column; the header has [${t.columnNames.slice(0, 12).join(', ')}]: pass the ${SHEET_CSV} that --sheet wrote`,
      );
  }
  const ids = t.strings('id');
  const decisions = t.strings('decision');
  const classes = t.has('class') ? t.strings('class') : [];
  const rows: BoxDecisionRow[] = [];
  const classOf = new Map<number, string>();
  for (let i = 0; i < t.nRows; i++) {
    const where = `${path} line ${t.source?.lines?.[i] ?? i + 2}`;
    const text = decisions[i] ?? '';
    const decision = parseBoxDecision(text);
    if (decision === undefined)
      throw new LabelStoreError(
        `${where}: unknown decision '${text}'; expected ${BOX_DECISIONS.join(', ')} or nothing (left pending)`,
      );
    if (decision === null) continue;
    const id = Number(ids[i]);
    if (!Number.isInteger(id) || id < 1)
      throw new LabelStoreError(`${where}: id '${ids[i] ?? ''}' is not a box id (a whole number from 1)`);
    rows.push({ id, decision, where });
    const cls = classes[i];
    if (cls) classOf.set(id, cls);
  }
  return { rows, classOf };
}

/** A class column edited instead of the decision: refused, so a stray edit never relabels. */
function checkClassColumn(store: LabelStore, rows: BoxDecisionRow[], classOf: Map<number, string>): void {
  const label = new Map(store.boxes().map((b) => [b.id, b.label]));
  for (const r of rows) {
    const cls = classOf.get(r.id);
    const want = r.decision.action === 'relabel' ? r.decision.label : label.get(r.id);
    if (cls !== undefined && cls !== label.get(r.id) && cls !== want)
      throw new LabelStoreError(
        `${r.where}: class '${cls}' differs from box ${r.id}'s '${label.get(r.id)}'; to change the class write relabel:${cls} in the decision column`,
      );
  }
}

export const reviewBoxes = defineCommand({
  summary: 'review pending boxes: a sheet to fill in, its decisions applied, or score thresholds',
  description: `Lists the pending boxes (from pnpm label detect). --sheet writes a review sheet: a PNG per image
with each pending box drawn as "#id class score", and ${SHEET_CSV} (id, image, sheet, class, score, x1, y1, x2,
y2, decision). Fill the decision column with accept, reject or relabel:<class> (empty: left pending), then
--apply it: every line is checked first (ids, decisions, classes) and the decisions are applied all or nothing
(a relabel rejects the detector's box and adds a person's box with the new class, so rerunning detect does not
propose it again).
--accept-above / --reject-below decide pending boxes by score instead (--dry-run counts only). Then
pnpm label export-boxes writes the accepted boxes as a detection set.`,
  flags: {
    store: storeFlag,
    sheet: z
      .string()
      .optional()
      .meta({
        placeholder: 'DIR',
        description: `the folder to write the review sheet to (a PNG per image and ${SHEET_CSV})`,
      }),
    apply: z
      .string()
      .optional()
      .meta({
        placeholder: 'FILE',
        description: `a filled-in ${SHEET_CSV}: its decisions are applied`,
      }),
    acceptAbove: z.coerce.number().min(0).max(1).optional().meta({
      placeholder: 'P',
      description: 'accept the pending boxes scoring at least this',
    }),
    rejectBelow: z.coerce.number().min(0).max(1).optional().meta({
      placeholder: 'P',
      description: 'reject the pending boxes scoring below this',
    }),
    classes: z.string().optional().meta({
      placeholder: 'LIST',
      description:
        'comma-separated new class names relabel:<class> may use (default: only the classes in the store)',
    }),
    limit: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .meta({ placeholder: 'N', description: 'at most this many images (listing and sheet; default all)' }),
    dryRun: z
      .boolean()
      .default(false)
      .describe('with --apply or the thresholds: check and count, change nothing'),
    overwrite: z.boolean().default(false).describe('replace a non-empty --sheet folder'),
  },
  examples: [
    'pnpm label review-boxes --store labels.sqlite --sheet review',
    'pnpm label review-boxes --store labels.sqlite --apply review/boxes.csv',
    'pnpm label review-boxes --store labels.sqlite --accept-above 0.6 --reject-below 0.2 --dry-run',
  ],
  json: true,
  async run({ store, sheet, apply, acceptAbove, rejectBelow, classes, limit, dryRun, overwrite }) {
    const bulk = acceptAbove !== undefined || rejectBelow !== undefined;
    if ([sheet !== undefined, apply !== undefined, bulk].filter(Boolean).length > 1)
      throw new OptionsError(
        '--sheet, --apply and --accept-above/--reject-below are separate steps: pass one of them',
      );
    if (dryRun && !apply && !bulk)
      throw new OptionsError('--dry-run goes with --apply or --accept-above/--reject-below');
    if (acceptAbove !== undefined && rejectBelow !== undefined && rejectBelow > acceptAbove)
      throw new OptionsError(
        `--reject-below ${rejectBelow} is above --accept-above ${acceptAbove}: a box between them would be both; pass --reject-below ≤ --accept-above`,
      );
    if (sheet !== undefined) checkSheetDir(sheet, overwrite);
    const extra = (classes ?? '')
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (apply !== undefined) {
      const { rows, classOf } = await readDecisions(apply); // before the store opens: a bad sheet touches nothing
      const left = await withLabelStore(
        store,
        (s) => {
          checkBoxDecisions(s, rows, extra);
          checkClassColumn(s, rows, classOf);
          const decided = new Set(rows.map((r) => r.id));
          return s.boxes({ status: 'pending' }).filter((b) => !decided.has(b.id)).length;
        },
        { readonly: true },
      );
      const count = (a: string) => rows.filter((r) => r.decision.action === a).length;
      const planned = {
        accepted: count('accept') + count('relabel'),
        rejected: count('reject'),
        relabeled: count('relabel'),
      };
      const done = dryRun
        ? planned
        : await withLabelStore(store, (s) => applyBoxDecisions(s, rows, extra), { mustExist: true });
      return {
        lines: [
          `${done.accepted} accepted (${done.relabeled} relabeled), ${done.rejected} rejected; ${left} left pending${dryRun ? ' (dry run: nothing changed)' : ''}`,
        ],
        data: { file: apply, ...done, pending: left, dryRun },
      };
    }
    if (bulk) {
      return withLabelStore(
        store,
        async (s) => {
          const pending = s.boxes({ status: 'pending' });
          const { accept, reject } = decideByScore(pending, { acceptAbove, rejectBelow });
          if (!dryRun)
            await s.transaction(async () => {
              s.setBoxStatus(
                accept.map((b) => b.id),
                'accepted',
              );
              s.setBoxStatus(
                reject.map((b) => b.id),
                'rejected',
              );
            });
          const left = pending.length - accept.length - reject.length;
          const parts = [
            acceptAbove !== undefined && `${accept.length} with score ≥ ${acceptAbove} accepted`,
            rejectBelow !== undefined && `${reject.length} with score < ${rejectBelow} rejected`,
          ].filter(Boolean);
          return {
            lines: [
              `${parts.join(', ')}; ${left} left pending${dryRun ? ' (dry run: nothing changed)' : ''}`,
            ],
            data: {
              accepted: accept.length,
              rejected: reject.length,
              pending: left,
              dryRun,
              acceptAbove,
              rejectBelow,
            },
          };
        },
        dryRun ? { readonly: true } : { mustExist: true },
      );
    }
    const pending = await withLabelStore(store, (s) => s.boxes({ status: 'pending' }), { readonly: true });
    const images = byImage(pending, limit);
    const nBoxes = images.reduce((n, [, b]) => n + b.length, 0);
    if (pending.length === 0)
      return { lines: [`${store}: no pending boxes to review`], data: { images: [], boxes: 0 } };
    if (sheet !== undefined) {
      await swapInSheet(sheet, images);
      return {
        lines: [
          `wrote ${plural(images.length, 'image')} with ${plural(nBoxes, 'pending box', 'pending boxes')} to ${sheet}: fill the decision column of ${join(sheet, SHEET_CSV)} (accept, reject, relabel:<class>), then pnpm label review-boxes --store ${store} --apply ${join(sheet, SHEET_CSV)}`,
        ],
        data: { sheet, images: images.map(([itemId]) => itemId), boxes: nBoxes, csv: join(sheet, SHEET_CSV) },
      };
    }
    const lines = images.flatMap(([itemId, boxes]) => [
      itemId,
      ...boxes.map(
        (b) =>
          `  #${b.id}\t${b.label}\t${b.score === null ? '-' : b.score.toFixed(3)}\t${[b.x1, b.y1, b.x2, b.y2].map(round2).join(', ')}`,
      ),
    ]);
    return {
      lines: [
        ...lines,
        `${nBoxes} pending boxes on ${images.length} images; --sheet DIR writes them to review`,
      ],
      data: { images: images.map(([itemId, boxes]) => ({ itemId, boxes })), boxes: nBoxes },
    };
  },
});
