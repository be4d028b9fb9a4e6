/**
 * Command-line options of `dlpipe-vision`, parsed once with node:util parseArgs and checked with zod.
 *
 *   parseVisionArgs(['train', '--model', 'lenet', '--epochs', '2']);
 */
import { parseArgs } from 'node:util';
import { OptionsError } from '@dlpipe/tensor';
import { z } from 'zod';

export const COMMANDS = ['train', 'eval', 'predict', 'models', 'preview', 'finetune'] as const;

export const visionOptionsSchema = z.object({
  command: z.enum(COMMANDS),
  positional: z.array(z.string()),
  model: z.string().default('lenet'),
  /** fashion-mnist | mnist | a folder of idx files. */
  dataset: z.string().default('fashion-mnist'),
  /** An ImageFolder root or a CSV/JSONL manifest (instead of --dataset). */
  data: z.string().optional(),
  /** A held-out ImageFolder/manifest; default: 20% of --data. */
  testData: z.string().optional(),
  epochs: z.coerce.number().int().positive().default(10),
  batch: z.coerce.number().int().positive().default(128),
  lr: z.coerce.number().positive().default(0.1),
  optimizer: z.enum(['sgd', 'momentum', 'adam', 'adamw']).default('sgd'),
  resize: z.coerce.number().int().positive().optional(),
  channels: z.coerce
    .number()
    .int()
    .refine((c) => c === 1 || c === 3, 'must be 1 or 3')
    .optional(),
  augment: z.boolean().default(false),
  limit: z.coerce.number().int().min(0).default(0),
  name: z.string().optional(),
  runs: z.string().default('runs'),
  seed: z.coerce.number().int().default(42),
  resume: z.boolean().default(false),
  checkpointEvery: z.coerce.number().int().min(0).default(0),
  topK: z.coerce.number().int().positive().default(5),
  count: z.coerce.number().int().positive().default(16),
  headEpochs: z.coerce.number().int().min(0).default(2),
});
export type VisionOptions = z.output<typeof visionOptionsSchema>;

export const USAGE = `usage: dlpipe-vision <command> [options]

commands:
  train     --model lenet --dataset fashion-mnist|mnist|DIR | --data FOLDER|MANIFEST [--test-data …]
            [--epochs 10] [--batch 128] [--lr 0.1] [--optimizer sgd] [--resize 96] [--channels 1|3]
            [--augment] [--limit N] [--name RUN] [--resume] [--checkpoint-every N] [--seed 42]
  eval      --name RUN (evaluates runs/RUN/model on the test split of the same data options)
  predict   <image|folder|manifest> --name RUN [--top-k 5]
  finetune  --data FOLDER|MANIFEST [--test-data …] [--head-epochs 2] [--epochs 3] [--lr 0.01]
            (nsfwjs's MobileNetV2, 224×224 RGB; backbone frozen, then at lr/10)
  preview   [--data …|--dataset …] [--resize 96] [--count 16] [--name RUN] (augmented samples grid)
  models    list the zoo with parameter counts

Outputs go under runs/<name>/ (metrics.json, curves.png, confusion-matrix.png, misclassified.png, model/).`;

export function parseVisionArgs(argv: string[]): VisionOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      model: { type: 'string' },
      dataset: { type: 'string' },
      data: { type: 'string' },
      'test-data': { type: 'string' },
      epochs: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      optimizer: { type: 'string' },
      resize: { type: 'string' },
      channels: { type: 'string' },
      augment: { type: 'boolean' },
      limit: { type: 'string' },
      name: { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      resume: { type: 'boolean' },
      'checkpoint-every': { type: 'string' },
      'top-k': { type: 'string' },
      count: { type: 'string' },
      'head-epochs': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...positional] = positionals;
  if (values.help || command === undefined || command === 'help') return 'help';
  const {
    'test-data': testData,
    'checkpoint-every': checkpointEvery,
    'top-k': topK,
    'head-epochs': headEpochs,
    help: _h,
    ...rest
  } = values;
  const parsed = visionOptionsSchema.safeParse({
    ...rest,
    testData,
    checkpointEvery,
    topK,
    headEpochs,
    command,
    positional,
  });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ');
    throw new OptionsError(`${issues}\n\n${USAGE}`);
  }
  return parsed.data;
}
