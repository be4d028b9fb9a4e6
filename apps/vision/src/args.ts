/**
 * Options shared by `dlpipe-vision` commands: the data options (an MNIST-format set by name or an
 * ImageFolder/manifest, size, channels), the run location, the optimizer; and `visionCommand`,
 * which turns a schema and a function printing result lines into a registry `Command` (parsing
 * is @dlpipe/tensor's `parseCommandArgs`: every problem at once, with the command's usage).
 *
 *   export const models = visionCommand({ summary, usage, options: {}, schema, run: async () => lines });
 */
import { join } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { type Command, initBackend, type OptimizerOptions, parseCommandArgs } from '@dlpipe/tensor';
import { z } from 'zod';

export type { Command };

type ArgOptions = NonNullable<ParseArgsConfig['options']>;

/** Where the images come from, and at what size. */
export const DATA_OPTIONS = {
  dataset: { type: 'string' },
  data: { type: 'string' },
  'test-data': { type: 'string' },
  resize: { type: 'string' },
  channels: { type: 'string' },
  limit: { type: 'string' },
  batch: { type: 'string' },
  augment: { type: 'boolean' },
  seed: { type: 'string' },
} as const satisfies ArgOptions;

export const dataFields = {
  /** fashion-mnist | mnist | a folder of idx files. */
  dataset: z.string().default('fashion-mnist'),
  /** An ImageFolder root or a CSV/JSONL manifest (instead of --dataset). */
  data: z.string().optional(),
  /** A held-out ImageFolder/manifest; default: 20% of --data. */
  'test-data': z.string().optional(),
  resize: z.coerce.number().int().positive().optional(),
  channels: z.coerce
    .number()
    .int()
    .refine((c) => c === 1 || c === 3, 'must be 1 or 3')
    .optional(),
  limit: z.coerce.number().int().min(0).default(0),
  batch: z.coerce.number().int().positive().default(128),
  augment: z.boolean().default(false),
  seed: z.coerce.number().int().default(42),
};

/** The data options as the loader takes them. */
export interface DataOptions {
  dataset: string;
  data?: string | undefined;
  testData?: string | undefined;
  resize?: number | undefined;
  channels?: number | undefined;
  limit: number;
  batch: number;
  augment: boolean;
  seed: number;
}

/** Parsed data fields (hyphenated flags) → DataOptions. */
export function dataOptions(o: z.output<z.ZodObject<typeof dataFields>>): DataOptions {
  const { 'test-data': testData, ...rest } = o;
  return { ...rest, testData };
}

/** Where a run's files go: --runs (default runs) / --name. */
export const RUN_OPTIONS = {
  name: { type: 'string' },
  runs: { type: 'string' },
  model: { type: 'string' },
} as const satisfies ArgOptions;

export const runFields = {
  name: z.string().optional(),
  runs: z.string().default('runs'),
  model: z.string().default('lenet'),
};

/** runs/<name>, or runs/<fallback> without --name. */
export function runDir(o: { runs: string; name?: string | undefined }, fallback: string): string {
  return join(o.runs, o.name ?? fallback);
}

export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'adamw'] as const;

export function optimizerOf(name: (typeof OPTIMIZERS)[number], lr: number): OptimizerOptions {
  return name === 'momentum' ? { name: 'momentum', lr, momentum: 0.9 } : ({ name, lr } as OptimizerOptions);
}

export interface VisionCommandSpec<S extends z.ZodType> {
  summary: string;
  usage: string;
  options: ArgOptions;
  schema: S;
  /** Does the work; returns the lines to print (results, files written). */
  run(o: z.output<S>): Promise<string[]>;
}

/** A registry command: parse, print usage on --help, pick the backend, run, print the lines. */
export function visionCommand<S extends z.ZodType>(spec: VisionCommandSpec<S>): Command {
  return {
    summary: spec.summary,
    usage: spec.usage,
    async run(argv) {
      const o = parseCommandArgs(argv, spec.options, spec.schema, spec.usage);
      await initBackend();
      for (const line of await spec.run(o)) console.log(line);
      return 0;
    },
  };
}
