/**
 * `pnpm bench finetune`: d2l §14.2's fine-tuning experiment on a small dataset. nsfwjs's
 * pretrained MobileNetV2 fine-tuned (new head, backbone frozen, then unfrozen at lr/10) vs the
 * same architecture from scratch (everything at lr), same head, epochs and data order, on a
 * class-balanced Fashion-MNIST subset (gray → RGB, resized). Prints both test accuracies and wall
 * times; writes comparison.png/json under --out.
 *
 *   pnpm bench finetune [--per-class 100] [--test 1000] [--size 96] [--head-epochs 2] [--full-epochs 3]
 *                       [--lr 0.05] [--batch 32] [--seed 42] [--out runs/bench-finetune]
 */
import { parseArgs } from 'node:util';
import { initBackend, tf } from '@dlpipe/tensor';
import { compareFinetune, loadMnistSubset } from '@dlpipe/vision';

export async function main(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      'per-class': { type: 'string', default: '100' },
      test: { type: 'string', default: '1000' },
      size: { type: 'string', default: '96' },
      'head-epochs': { type: 'string', default: '2' },
      'full-epochs': { type: 'string', default: '3' },
      lr: { type: 'string', default: '0.05' },
      batch: { type: 'string', default: '32' },
      seed: { type: 'string', default: '42' },
      dataset: { type: 'string', default: 'fashion-mnist' },
      out: { type: 'string', default: 'runs/bench-finetune' },
    },
  });
  const backend = (await initBackend()).name;
  const seed = Number(v.seed);
  const d = loadMnistSubset(v.dataset!, {
    perClass: Number(v['per-class']),
    testSize: Number(v.test),
    size: Number(v.size),
    channels: 3,
    seed,
  });
  const r = await compareFinetune({
    train: d.train,
    test: d.test,
    numClasses: d.classNames.length,
    headEpochs: Number(v['head-epochs']),
    fullEpochs: Number(v['full-epochs']),
    lr: Number(v.lr),
    batchSize: Number(v.batch),
    seed,
    runDir: v.out!,
  });
  const s = r.settings;
  console.log(
    `${d.name}: ${s.trainImages} training images (${v['per-class']} per class), ${s.testImages} test images, ` +
      `${s.inputSize}×${s.inputSize} RGB; SGD lr ${s.lr}, batch ${s.batchSize}; backend ${backend}`,
  );
  console.log('| run | epochs | test accuracy | seconds |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| fine-tuned MobileNetV2 (nsfwjs) | ${s.headEpochs} head-only + ${s.fullEpochs} all (backbone lr×${s.backboneScale}) | ${r.finetuned.accuracy.toFixed(4)} | ${r.finetuned.seconds.toFixed(0)} |`,
  );
  console.log(
    `| MobileNetV2 from scratch | ${s.headEpochs + s.fullEpochs} all | ${r.scratch.accuracy.toFixed(4)} | ${r.scratch.seconds.toFixed(0)} |`,
  );
  for (const f of r.files) console.log(f);
  r.finetuned.net.dispose();
  r.scratch.net.dispose();
  tf.dispose([d.train.x, d.train.y, d.test.x, d.test.y]);
  return 0;
}
