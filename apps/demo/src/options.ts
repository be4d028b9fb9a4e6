/**
 * The flags of `pnpm demo`, declared once: the parser, the `--help` text and `DemoOptions` come
 * from these zod fields (see @dlpipe/core's `defineCommand`).
 *
 *   pnpm demo --steps label,train,report --features mobilenetv2 --out runs/demo
 */
import { z } from 'zod';

export const DEMO_STEPS = ['crawl', 'label', 'train', 'report'] as const;
export type DemoStep = (typeof DEMO_STEPS)[number];

export const demoFlags = {
  steps: z
    .string()
    .default(DEMO_STEPS.join(','))
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(DEMO_STEPS)).min(1))
    .meta({
      placeholder: 'LIST',
      description: `steps to run, in order, comma-separated (${DEMO_STEPS.join('|')}); each reads the earlier steps' output from --out`,
    }),
  out: z
    .string()
    .default('runs/demo')
    .meta({ placeholder: 'DIR', description: 'where the steps write and read' }),
  seed: z.coerce
    .number()
    .int()
    .default(42)
    .meta({ description: 'seed of the shop, the split and every step' }),
  products: z.coerce.number().int().min(100).max(10_000).default(1500).meta({
    description: 'products in the shop (Fashion-MNIST test images as photos; 5% show their category)',
  }),
  features: z
    .enum(['pixels', 'mobilenetv2'])
    .default('pixels')
    .meta({ description: "the label step's features: grayscale pixels or nsfwjs's pretrained MobileNetV2" }),
  compareFeatures: z
    .boolean()
    .default(false)
    .meta({ description: 'the label step also self-trains on the other features and reports both' }),
  threshold: z.coerce
    .number()
    .min(0)
    .lt(1)
    .default(0.9)
    .meta({ description: "self-training's threshold on the top probability for a pseudo-label" }),
  model: z
    .enum(['lenet-bn', 'lenet', 'mlp'])
    .default('lenet-bn')
    .meta({ description: "the train step's CNN (from the zoo, 28×28 gray inputs)" }),
  trainSteps: z.coerce
    .number()
    .int()
    .positive()
    .default(600)
    .meta({ description: 'optimizer steps of each training run (the same for all three label sets)' }),
  lr: z.coerce.number().positive().default(0.01).meta({ description: "the train step's Adam learning rate" }),
  verbose: z.boolean().default(false).meta({ short: 'v', description: 'print the backend chosen' }),
};

/** The demo's options, as parsed from the flags. */
export type DemoOptions = z.output<z.ZodObject<typeof demoFlags>>;
