/**
 * Flags shared by `dlpipe-vision` commands, declared once as zod fields: where the images come
 * from and at what size (`dataFlags`), where a run lives (`runFlags`); and the small mappings from
 * their values to @dlpipe/vision's options.
 *
 *   export const evaluate = defineCommand({ summary, flags: { ...dataFlags, ...runFlags }, run });
 */
import { join } from 'node:path';
import { OptionsError } from '@dlpipe/core';
import type { OptimizerOptions } from '@dlpipe/tensor';
import type { ClassificationDataOptions } from '@dlpipe/vision';
import { z } from 'zod';

/** Where the images come from, and at what size. */
export const dataFlags = {
  dataset: z.string().optional().meta({
    placeholder: 'NAME|DIR',
    description:
      'an MNIST-format set: fashion-mnist, mnist or a folder of idx files (default: fashion-mnist)',
  }),
  data: z.string().optional().meta({
    placeholder: 'FOLDER|MANIFEST',
    description: 'an ImageFolder root or a CSV/JSONL manifest (instead of --dataset)',
  }),
  testData: z.string().optional().meta({
    placeholder: 'FOLDER|MANIFEST',
    description: 'held-out images for --data (default: a stratified, seeded 20% of --data)',
  }),
  resize: z.coerce.number().int().positive().optional().meta({
    description: "resize images to N×N (default: the model's input)",
  }),
  channels: z
    .enum(['1', '3'])
    .transform((c): 1 | 3 => (c === '1' ? 1 : 3))
    .optional()
    .meta({ description: "channels of --data images (default: the model's)" }),
  limit: z.coerce.number().int().min(0).default(0).meta({ description: 'only N training images (0: all)' }),
  batch: z.coerce.number().int().positive().default(128).meta({ description: 'batch size' }),
  augment: z.boolean().default(false).meta({ description: 'random resized crops and horizontal flips' }),
  seed: z.coerce.number().int().default(42).meta({ description: 'seed of splits, shuffling and init' }),
};

/** `--deterministic`: bit-identical losses run to run (README, "What is deterministic"). */
export const deterministicFlag = {
  deterministic: z.boolean().default(false).meta({
    description:
      'one native thread, so that two runs with the same --seed give bit-identical losses (slower)',
  }),
};

/** Where a run's files go: runs/<name>, or runs/<model> without --name. */
export const runFlags = {
  name: z.string().optional().meta({ placeholder: 'RUN', description: 'the run (default: --model)' }),
  runs: z.string().default('runs').meta({ placeholder: 'DIR', description: 'the folder of runs' }),
  model: z
    .string()
    .default('lenet')
    .meta({ placeholder: 'NAME', description: 'a zoo model (pnpm vision models)' }),
};

type DataValues = z.output<z.ZodObject<typeof dataFlags>>;

/** --dataset (default fashion-mnist); given together with --data it is an error, not ignored. */
export function datasetOf(o: { dataset?: string | undefined; data?: string | undefined }): string {
  if (o.dataset !== undefined && o.data !== undefined) {
    throw new OptionsError(
      `--dataset ${o.dataset} and --data ${o.data} exclude each other: --data is your own images, --dataset an MNIST-format set`,
    );
  }
  return o.dataset ?? 'fashion-mnist';
}

/** The data flags as @dlpipe/vision's loader takes them, at `size` with `channels` unless given. */
export function dataOptions(
  o: DataValues,
  defaults: { size: [number, number]; channels: 1 | 3 },
): ClassificationDataOptions {
  return {
    dataset: datasetOf(o),
    data: o.data,
    testData: o.testData,
    size: o.resize ? [o.resize, o.resize] : defaults.size,
    channels: o.channels ?? defaults.channels,
    limit: o.limit,
    batchSize: o.batch,
    augment: o.augment,
    seed: o.seed,
  };
}

/** runs/<name>, or runs/<fallback> without --name. */
export function runDir(o: { runs: string; name?: string | undefined }, fallback: string): string {
  return join(o.runs, o.name ?? fallback);
}

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw'] as const;

/** The optimizer options of `--optimizer NAME --lr LR` ('momentum' gets createOptimizer's default μ). */
export function optimizerOf(name: (typeof OPTIMIZERS)[number], lr: number): OptimizerOptions {
  return { name, lr };
}
