/** Command-line options of `dlpipe-demo`, parsed and checked once. */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const demoOptionsSchema = z.object({
  /** Dataset name or a directory of MNIST-format idx files. */
  dataset: z.string().default('fashion-mnist'),
  epochs: z.coerce.number().int().positive().default(1),
  batch: z.coerce.number().int().positive().default(256),
  lr: z.coerce.number().positive().default(0.1),
  hidden: z.coerce.number().int().positive().default(256),
  /** Train on the first N training images only (0 = all). */
  limit: z.coerce.number().int().min(0).default(0),
  out: z.string().default('runs/demo'),
  seed: z.coerce.number().int().default(42),
  /** Continue from the run directory's latest checkpoint. */
  resume: z.boolean().default(false),
  /** Checkpoint every N optimizer steps (0: at epoch ends only). */
  checkpointEvery: z.coerce.number().int().min(0).default(0),
  verbose: z.boolean().default(false),
});
export type DemoOptions = z.output<typeof demoOptionsSchema>;

export const USAGE = `usage: dlpipe-demo [--dataset fashion-mnist|mnist|DIR] [--epochs 1] [--batch 256] [--lr 0.1]
                   [--hidden 256] [--limit N] [--out runs/demo] [--seed 42]
                   [--checkpoint-every N] [--resume] [--verbose]

Trains d2l's MLP (784-256-10, ReLU, SGD) on Fashion-MNIST and writes metrics.json,
curves.png and confusion-matrix.png under --out.`;

export function parseDemoArgs(argv: string[]): DemoOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: 'string' },
      epochs: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      hidden: { type: 'string' },
      limit: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      resume: { type: 'boolean' },
      'checkpoint-every': { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const { 'checkpoint-every': checkpointEvery, ...rest } = values;
  const parsed = demoOptionsSchema.safeParse({ ...rest, checkpointEvery });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`${issues}\n${USAGE}`);
  }
  return parsed.data;
}
