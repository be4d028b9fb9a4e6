/**
 * The flags of `pnpm demo`, declared once: the parser, the `--help` text and `DemoOptions` come
 * from these zod fields (see @dlpipe/core's `defineCommand`).
 *
 *   pnpm demo --steps train --model mlp --epochs 2 --limit 3000 --out runs/demo
 */
import { z } from 'zod';

export const DEMO_STEPS = ['crawl', 'label', 'train'] as const;
export type DemoStep = (typeof DEMO_STEPS)[number];

export const demoFlags = {
  steps: z
    .string()
    .default(DEMO_STEPS.join(','))
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(DEMO_STEPS)).min(1))
    .meta({
      placeholder: 'LIST',
      description: `steps to run, in order, comma-separated (${DEMO_STEPS.join('|')})`,
    }),
  model: z
    .enum(['lenet', 'mlp'])
    .default('lenet')
    .meta({ description: "the train step's model: d2l's LeNet or MLP" }),
  dataset: z.string().default('fashion-mnist').meta({
    placeholder: 'NAME|DIR',
    description: 'fashion-mnist, mnist or a folder of MNIST-format idx files',
  }),
  epochs: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: "epochs of the train step (default: d2l's 10 for LeNet, 1 for the MLP)" }),
  batch: z.coerce
    .number()
    .int()
    .positive()
    .default(256)
    .meta({ description: 'batch size of the train step' }),
  lr: z.coerce
    .number()
    .positive()
    .default(0.1)
    .meta({ description: "the MLP's SGD learning rate (LeNet: the zoo's defaults, Adam at 0.005)" }),
  hidden: z.coerce.number().int().positive().default(256).meta({ description: 'hidden units of the MLP' }),
  limit: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .meta({ description: 'train on the first N images only (0: all)' }),
  out: z.string().default('runs/demo').meta({ placeholder: 'DIR', description: 'where the steps write' }),
  seed: z.coerce.number().int().default(42).meta({ description: 'seed of every step' }),
  resume: z
    .boolean()
    .default(false)
    .meta({ description: "the train step continues from its run's latest checkpoint" }),
  checkpointEvery: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .meta({ description: 'the train step checkpoints every N optimizer steps (0: at epoch ends only)' }),
  verbose: z.boolean().default(false).meta({ short: 'v', description: 'print the backend chosen' }),
};

/** The demo's options, as parsed from the flags. */
export type DemoOptions = z.output<z.ZodObject<typeof demoFlags>>;
