/**
 * `pnpm vision finetune`: d2l §14.2's fine-tuning of nsfwjs's pretrained MobileNetV2 (new head,
 * backbone frozen, then unfrozen at lr/10) on your images; with --compare, also the same net
 * trained from scratch on the same data, both test accuracies and their learning curves.
 *
 *   pnpm vision finetune --data photos/ --resize 224 --head-epochs 2 --epochs 3
 *   pnpm vision finetune --compare --dataset fashion-mnist --per-class 100 --resize 96
 */
import { join } from 'node:path';
import { defineCommand, ensureDir, OptionsError, setSeed } from '@dlpipe/core';
import { initBackend, saveModel, tf } from '@dlpipe/tensor';
import {
  checkInputSize,
  compareFinetune,
  countParameters,
  finetune as finetuneNet,
  loadClassificationData,
  loadImageTensors,
  loadMnistSubset,
  loadNsfwjsMobileNetV2,
  replaceHead,
  setClassNames,
  writeClassifierReport,
} from '@dlpipe/vision';
import { z } from 'zod';
import { dataFlags, dataOptions, datasetOf, deterministicFlag, runDir, runFlags } from '../args.js';

const flags = {
  ...dataFlags,
  ...runFlags,
  batch: z.coerce.number().int().positive().default(32).meta({ description: 'batch size' }),
  headEpochs: z.coerce
    .number()
    .int()
    .min(0)
    .default(2)
    .meta({ description: 'epochs of the new head with the backbone frozen' }),
  epochs: z.coerce
    .number()
    .int()
    .min(0)
    .default(3)
    .meta({ description: 'epochs of the whole net after that (backbone at lr/10)' }),
  lr: z.coerce.number().positive().default(0.05).meta({ description: 'learning rate (plain SGD)' }),
  compare: z.boolean().default(false).meta({ description: 'also train the same net from scratch' }),
  perClass: z.coerce
    .number()
    .int()
    .positive()
    .default(100)
    .meta({ description: '--compare with --dataset: training images per class' }),
  testSize: z.coerce
    .number()
    .int()
    .positive()
    .default(1000)
    .meta({ description: '--compare with --dataset: test images' }),
  ...deterministicFlag,
};
type FinetuneArgs = z.output<z.ZodObject<typeof flags>>;
interface Result {
  lines: string[];
  data: Record<string, unknown>;
}

async function plain(o: FinetuneArgs): Promise<Result> {
  if (!o.data) {
    throw new OptionsError('--data FOLDER|MANIFEST is required without --compare: images of your classes');
  }
  const size = o.resize ?? 224;
  checkInputSize(size);
  const d = await loadClassificationData(dataOptions(o, { size: [size, size], channels: 3 }));
  const dir = runDir(o, 'finetune');
  ensureDir(dir, 'run folder');
  setSeed(o.seed); // the new head's initial weights
  const net = replaceHead(await loadNsfwjsMobileNetV2({ inputSize: size }), {
    numClasses: d.classNames.length,
  });
  await finetuneNet(net, d.train, d.test, {
    headEpochs: o.headEpochs,
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
  setClassNames(net, d.classNames);
  await saveModel(net, join(dir, 'model'));
  return {
    lines: [`fine-tuned MobileNetV2: test accuracy ${r.accuracy.toFixed(4)}`, ...r.files],
    data: { accuracy: r.accuracy, macroF1: r.macroF1, files: r.files },
  };
}

/** Train and test tensors (RGB, size×size) from --data or an MNIST-format subset. */
async function compareData(o: FinetuneArgs, size: number) {
  if (!o.data) {
    const m = loadMnistSubset(datasetOf(o), {
      perClass: o.perClass,
      testSize: o.testSize,
      size,
      channels: 3,
      seed: o.seed,
    });
    return {
      name: `${m.name} (${o.perClass} per class)`,
      classNames: m.classNames,
      train: m.train,
      test: m.test,
    };
  }
  const d = await loadClassificationData({
    ...dataOptions(o, { size: [size, size], channels: 3 }),
    channels: 3,
    augment: false,
  });
  const t = await loadImageTensors(d.trainSet!, { size: [size, size], channels: 3 });
  return { name: d.name, classNames: d.classNames, train: { x: t.x, y: t.y }, test: d.test };
}

async function compare(o: FinetuneArgs): Promise<Result> {
  const size = o.resize ?? 96;
  checkInputSize(size);
  const d = await compareData(o, size);
  const dir = runDir(o, 'finetune-compare');
  ensureDir(dir, 'run folder');
  const r = await compareFinetune({
    train: d.train,
    test: d.test,
    numClasses: d.classNames.length,
    headEpochs: o.headEpochs,
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
      extra: { classNames: d.classNames },
    });
    files.push(...rep.files);
    r[arm].net.dispose();
  }
  tf.dispose([d.train.x, d.train.y, d.test.x, d.test.y]);
  const sec = (s: number) => `${Math.round(s)} s`;
  return {
    lines: [
      `${d.name}, ${r.settings.trainImages} training and ${r.settings.testImages} test images at ${size}×${size}:`,
      `  fine-tuned MobileNetV2: test accuracy ${r.finetuned.accuracy.toFixed(4)} (${sec(r.finetuned.seconds)})`,
      `  from scratch:           test accuracy ${r.scratch.accuracy.toFixed(4)} (${sec(r.scratch.seconds)})`,
      ...files,
    ],
    data: {
      dataset: d.name,
      settings: r.settings,
      finetuned: { accuracy: r.finetuned.accuracy, seconds: r.finetuned.seconds },
      scratch: { accuracy: r.scratch.accuracy, seconds: r.scratch.seconds },
      files,
    },
  };
}

export const finetune = defineCommand({
  summary: 'fine-tune pretrained MobileNetV2 (--compare: vs the same net from scratch)',
  description: `Fine-tunes nsfwjs's pretrained MobileNetV2 (MIT, © Infinite Red; RGB in [0, 1], --resize a
multiple of 32, default 224, or 96 with --compare) on --data: a new head trained --head-epochs with
the backbone frozen, then everything --epochs more with the backbone at lr/10 (plain SGD, d2l
§14.2). Writes runs/<name>/.
--compare also trains the same architecture from random weights for head-epochs + epochs, all at
--lr, on the same images (with --dataset: --per-class images of each class and --test-size test
images, gray replicated to RGB), and writes comparison.json, comparison.png and a report per run.`,
  flags,
  examples: [
    'pnpm vision finetune --data photos/ --resize 224 --head-epochs 2 --epochs 3',
    'pnpm vision finetune --compare --dataset fashion-mnist --per-class 100 --resize 96',
  ],
  json: true,
  async run(o) {
    await initBackend({ deterministic: o.deterministic });
    return o.compare ? compare(o) : plain(o);
  },
});
