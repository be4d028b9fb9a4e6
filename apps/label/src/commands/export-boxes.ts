/**
 * `pnpm label export-boxes`: the store's boxes (accepted by default) as a detection set: images
 * copied into `images/{train,val}/`, COCO `annotations/{train,val}.json`, YOLO labels and
 * data.yaml, the layout @dlpipe/vision's `loadDetectionSet` reads and its detectors train on.
 *
 *   pnpm label export-boxes --store labels.sqlite --out datasets/dogs --status accepted
 */
import { defineCommand } from '@dlpipe/core';
import { BOX_STATUSES, boxSetOf, LabelStoreError } from '@dlpipe/label';
import { checkBoxSetOut, writeBoxSet } from '@dlpipe/vision';
import { z } from 'zod';
import { storeFlag, withLabelStore } from '../store-flags.js';

export const exportBoxes = defineCommand({
  summary: 'write the boxes as a COCO/YOLO detection set (train/val)',
  description:
    'Writes the images that have boxes of the chosen status, with those boxes, as a detection set: images copied, COCO annotations and YOLO labels per split, data.yaml. Class ids follow the sorted class names. Only the chosen boxes are written: review every box of an image before exporting accepted ones, or the objects left pending become background.',
  flags: {
    store: storeFlag,
    out: z.string().meta({ placeholder: 'DIR', description: 'the folder of the set to write (required)' }),
    status: z
      .enum([...BOX_STATUSES, 'all'])
      .default('accepted')
      .describe('which boxes to export'),
    valFraction: z.coerce
      .number()
      .min(0)
      .max(1)
      .default(0.2)
      .meta({ placeholder: 'P', description: 'share of the images in val (split by a hash of the path)' }),
    overwrite: z.boolean().default(false).describe('replace an existing non-empty --out'),
  },
  examples: [
    'pnpm label export-boxes --store labels.sqlite --out datasets/dogs',
    'pnpm label export-boxes --store labels.sqlite --out datasets/dogs-pseudo --status pending --overwrite',
  ],
  json: true,
  async run({ store, out, status, valFraction, overwrite }) {
    checkBoxSetOut(out, overwrite);
    const boxes = await withLabelStore(store, (s) => s.boxes({ status }), { readonly: true });
    if (boxes.length === 0) {
      throw new LabelStoreError(
        `${store}: no ${status === 'all' ? '' : `${status} `}boxes to export; add some with pnpm label detect${status === 'accepted' ? ', accept them in review, or pass --status pending' : ''}`,
      );
    }
    const set = boxSetOf(boxes);
    const r = await writeBoxSet(
      {
        classNames: set.classNames,
        images: set.images.map((im) => ({ source: im.itemId, boxes: im.boxes })),
      },
      { out, valFraction, overwrite },
    );
    const { train, val } = r.counts;
    return {
      lines: [
        `${out}: ${train.images} train images (${train.boxes} boxes), ${val.images} val images (${val.boxes} boxes), ${set.classNames.length} classes: ${set.classNames.join(', ')}`,
      ],
      data: { out, status, classNames: set.classNames, ...r.counts },
    };
  },
});
