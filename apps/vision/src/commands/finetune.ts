/**
 * `pnpm vision finetune`: d2l §14.2's fine-tuning of nsfwjs's pretrained MobileNetV2 (new head,
 * backbone frozen, then unfrozen at lr/10) on your images; with --compare, also the same net
 * trained from scratch on the same data, both test accuracies and their learning curves.
 *
 *   pnpm vision finetune --data photos/ --resize 224 --head-epochs 2 --epochs 3
 *   pnpm vision finetune --compare --dataset fashion-mnist --per-class 100 --resize 96
 */
import { join } from 'node:path';
import { saveModel, tf } from '@dlpipe/tensor';
import {
  checkInputSize,
  compareFinetune,
  countParameters,
  DatasetError,
  finetune as finetuneNet,
  loadImageTensors,
  loadMnistSubset,
  loadNsfwjsMobileNetV2,
  replaceHead,
  writeClassifierReport,
} from '@dlpipe/vision';
import { z } from 'zod';
import {
  DATA_OPTIONS,
  dataFields,
  dataOptions,
  RUN_OPTIONS,
  runDir,
  runFields,
  visionCommand,
} from '../args.js';
import { loadData } from '../data.js';

const USAGE = `usage: pnpm vision finetune --data FOLDER|MANIFEST [--test-data …] [--resize 224] [--head-epochs 2]
         [--epochs 3] [--lr 0.05] [--batch 32] [--limit N] [--augment] [--name RUN] [--seed 42]
       pnpm vision finetune --compare [--dataset fashion-mnist | --data …] [--per-class 100]
         [--test-size 1000] [--resize 96] [--head-epochs 2] [--epochs 3] [--lr 0.05] [--batch 32]

Fine-tunes nsfwjs's pretrained MobileNetV2 (MIT, © Infinite Red; RGB in [0, 1], --resize a
multiple of 32): a new head trained --head-epochs with the backbone frozen, then everything
--epochs more with the backbone at lr/10 (plain SGD, d2l §14.2). Writes runs/<name>/.
--compare also trains the same architecture from random weights for head-epochs + epochs, all at
--lr, on the same images (with --dataset: --per-class images of each class and --test-size test
images, gray replicated to RGB), and writes comparison.json, comparison.png and a report per run.`;

const schema = z.object({
  _: z.tuple([]),
  ...dataFields,
  ...runFields,
  batch: z.coerce.number().int().positive().default(32),
  'head-epochs': z.coerce.number().int().min(0).default(2),
  epochs: z.coerce.number().int().min(0).default(3),
  lr: z.coerce.number().positive().default(0.05),
  compare: z.boolean().default(false),
  'per-class': z.coerce.number().int().positive().default(100),
  'test-size': z.coerce.number().int().positive().default(1000),
});
type FinetuneArgs = z.output<typeof schema>;

async function plain(o: FinetuneArgs): Promise<string[]> {
  if (!o.data) throw new DatasetError('finetune', 'expected --data FOLDER|MANIFEST (images of your classes)');
  const size = o.resize ?? 224;
  checkInputSize(size);
  const d = await loadData({ ...dataOptions(o), resize: size }, { size: [size, size], channels: 3 });
  const dir = runDir(o, 'finetune');
  const net = replaceHead(await loadNsfwjsMobileNetV2({ inputSize: size }), {
    numClasses: d.classNames.length,
  });
  await finetuneNet(net, d.train, d.test, {
    headEpochs: o['head-epochs'],
    fullEpochs: o.epochs,
    lr: o.lr,
    runDir: dir,
    seed: o.seed,
  });
  const r = await writeClassifierReport(net, d.test, {
    classNames: d.classNames,
    runDir: dir,
    title: 'MobileNetV2 fine-tuned',
    extra: { classNames: d.classNames, model: { name: 'nsfwjs-mobilenet_v2', params: countParameters(net) } },
  });
  await saveModel(net, join(dir, 'model'));
  return [`fine-tuned MobileNetV2: test accuracy ${r.accuracy.toFixed(4)}`, ...r.files];
}

/** Train and test tensors (RGB, size×size) from --data or an MNIST-format subset. */
async function compareData(o: FinetuneArgs, size: number) {
  if (!o.data) {
    const m = loadMnistSubset(o.dataset, {
      perClass: o['per-class'],
      testSize: o['test-size'],
      size,
      channels: 3,
      seed: o.seed,
    });
    return {
      name: `${m.name} (${o['per-class']} per class)`,
      classNames: m.classNames,
      train: m.train,
      test: m.test,
    };
  }
  const d = await loadData(
    { ...dataOptions(o), resize: size, augment: false },
    { size: [size, size], channels: 3 },
  );
  const t = await loadImageTensors(d.trainSet!, { size: [size, size], channels: 3 });
  return { name: d.name, classNames: d.classNames, train: { x: t.x, y: t.y }, test: d.test };
}

async function compare(o: FinetuneArgs): Promise<string[]> {
  const size = o.resize ?? 96;
  checkInputSize(size);
  const d = await compareData(o, size);
  const dir = runDir(o, 'finetune-compare');
  const r = await compareFinetune({
    train: d.train,
    test: d.test,
    numClasses: d.classNames.length,
    headEpochs: o['head-epochs'],
    fullEpochs: o.epochs,
    lr: o.lr,
    batchSize: o.batch,
    seed: o.seed,
    runDir: dir,
  });
  const files = [...r.files];
  for (const [arm, title] of [
    ['finetuned', 'MobileNetV2 fine-tuned'],
    ['scratch', 'MobileNetV2 from scratch'],
  ] as const) {
    const rep = await writeClassifierReport(r[arm].net, d.test, {
      classNames: d.classNames,
      runDir: join(dir, arm),
      title,
    });
    files.push(...rep.files);
    r[arm].net.dispose();
  }
  tf.dispose([d.train.x, d.train.y, d.test.x, d.test.y]);
  const sec = (s: number) => `${Math.round(s)} s`;
  return [
    `${d.name}, ${r.settings.trainImages} training and ${r.settings.testImages} test images at ${size}×${size}:`,
    `  fine-tuned MobileNetV2: test accuracy ${r.finetuned.accuracy.toFixed(4)} (${sec(r.finetuned.seconds)})`,
    `  from scratch:           test accuracy ${r.scratch.accuracy.toFixed(4)} (${sec(r.scratch.seconds)})`,
    ...files,
  ];
}

export const finetune = visionCommand({
  summary: 'fine-tune pretrained MobileNetV2 (--compare: vs the same net from scratch)',
  usage: USAGE,
  options: {
    ...DATA_OPTIONS,
    ...RUN_OPTIONS,
    'head-epochs': { type: 'string' },
    epochs: { type: 'string' },
    lr: { type: 'string' },
    compare: { type: 'boolean' },
    'per-class': { type: 'string' },
    'test-size': { type: 'string' },
  },
  schema,
  run: (o) => (o.compare ? compare(o) : plain(o)),
});
