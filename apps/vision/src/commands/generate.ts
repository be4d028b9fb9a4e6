/**
 * `pnpm vision generate --set bananas|emoji-10 --out datasets/`: writes a built-in detection set
 * made from real photographs with pasted emoji sprites (@dlpipe/vision's `generateDetectionSet`):
 * images/{train,val}/, COCO annotations/{train,val}.json, YOLO labels/ + data.yaml and a README
 * with the sprites' and photos' attribution. Deterministic under --seed.
 *
 *   pnpm vision generate --set emoji-10 --out datasets --seed 0
 */
import { defineCommand, ProgressBar } from '@dlpipe/core';
import { BUILTIN_SETS, generateDetectionSet } from '@dlpipe/vision';
import { z } from 'zod';

const SET_NAMES = Object.keys(BUILTIN_SETS) as [keyof typeof BUILTIN_SETS, ...(keyof typeof BUILTIN_SETS)[]];

export const generate = defineCommand({
  summary: 'write a detection set (bananas, emoji-10) made from real photos with pasted sprites',
  description: `Writes <out>/<set>/: images/{train,val}/, annotations/{train,val}.json (COCO),
labels/{train,val}/*.txt + data.yaml (YOLO) and README.md (sprite and photo attribution).
bananas: one class (🍌), 1,000 train / 100 val at 256×256, as d2l's banana set; emoji-10: ten
classes, several objects per image with overlaps, 5,000 / 500. Boxes are exact, from the
sprites' alpha. The same --seed writes the same files. \`pnpm vision train --data <set>\` also
generates a built-in set into the cache on first use.`,
  flags: {
    set: z.enum(SET_NAMES).meta({ description: 'which built-in set' }),
    out: z.string().default('datasets').meta({ placeholder: 'DIR', description: 'parent folder of the set' }),
    seed: z.coerce.number().int().min(0).default(0).meta({ description: 'seed of scenes and backgrounds' }),
    trainSize: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "train images (default: the set's)" }),
    valSize: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "val images (default: the set's)" }),
    imageSize: z.coerce
      .number()
      .int()
      .min(32)
      .max(2048)
      .optional()
      .meta({ description: "image side in pixels (default: the set's, 256)" }),
    backgrounds: z
      .enum(['all', 'npm'])
      .default('all')
      .meta({ description: "background photos: Debian's and npm's, or npm's only" }),
    overwrite: z.boolean().default(false).meta({ description: 'replace an existing <out>/<set>/' }),
  },
  examples: [
    'pnpm vision generate --set bananas',
    'pnpm vision generate --set emoji-10 --out datasets --seed 1',
  ],
  json: true,
  async run(o) {
    let bar: ProgressBar | undefined;
    const r = await generateDetectionSet({
      name: o.set,
      out: o.out,
      seed: o.seed,
      trainSize: o.trainSize,
      valSize: o.valSize,
      imageSize: o.imageSize,
      backgrounds: o.backgrounds,
      overwrite: o.overwrite,
      progress: (done, total) => {
        bar ??= new ProgressBar({ total, label: o.set, unit: 'images', silent: !process.stderr.isTTY });
        bar.update(1);
        if (done === total) bar.done();
      },
    });
    const c = r.counts;
    const lines = [
      `${r.dir}: train ${c.train.images} images / ${c.train.objects} objects, val ${c.val.images} / ${c.val.objects}` +
        ` (seed ${r.seed}, ${r.seconds.toFixed(1)} s)`,
    ];
    return { lines, data: r };
  },
});
