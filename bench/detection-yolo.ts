/**
 * `pnpm bench yolo`: dlpipe's YOLO detector (packages/vision/src/detection/yolo/) trained on
 * emoji-10 (generated into the dlpipe cache on first use, ~2 minutes): loss and seconds per epoch,
 * val mAP50 / mAP50-95 from cocoEvaluate (pycocotools' numbers) after each epoch, and PyTorch's
 * seconds per epoch for the same architecture, loss and optimizer (bench/detection_torch.py, two
 * threads, timed over a few steps and projected to the epoch) in the same run.
 *
 *   pnpm bench yolo --quick               # 400 train images, 100 val: a smoke run of the pipeline
 *   pnpm bench yolo --epochs 1            # one full epoch (5,000 images) and the val mAP
 *   pnpm bench yolo --epochs 10            # the README's run: mAP50 0.978 / mAP50-95 0.857
 *   pnpm bench yolo --train-limit 1000 --image-size 192 --bn-momentum 0.03 --no-flip   # variations
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng, setSeed } from '@dlpipe/core';
import { defaultCacheDir } from '@dlpipe/data';
import { cosineLr, fit, initBackend, tf, warmup } from '@dlpipe/tensor';
import {
  type CocoDataset,
  type CocoDetection,
  cocoEvaluate,
  detectionImages,
  generateDetectionSet,
  type LoadedDetectionSet,
  loadDetectionSet,
  YoloDetector,
} from '@dlpipe/vision';

interface TorchRow {
  s_per_step: number;
  s_per_epoch: number;
  batch_size: number;
  torch: string;
}

async function ensureSet(dir: string): Promise<string> {
  const setDir = join(dir, 'emoji-10');
  if (!existsSync(join(setDir, 'annotations', 'val.json'))) {
    process.stderr.write(`generating emoji-10 into ${setDir} (~2 minutes, once)\n`);
    await generateDetectionSet({ name: 'emoji-10', out: dir, seed: 0, overwrite: true });
  }
  return setDir;
}

/** val mAP of `det` on the first `limit` val images, through cocoEvaluate. */
async function evaluate(det: YoloDetector, setDir: string, val: LoadedDetectionSet, limit: number) {
  const gt = JSON.parse(readFileSync(join(setDir, 'annotations', 'val.json'), 'utf8')) as CocoDataset;
  const images = gt.images.slice(0, limit);
  const ids = new Set(images.map((im) => im.id));
  const gtSub: CocoDataset = {
    ...gt,
    images,
    annotations: gt.annotations.filter((a) => ids.has(a.image_id)),
  };
  const catIds = gt.categories.map((c) => c.id).sort((a, b) => a - b);
  const valImages = await detectionImages(
    { ...val, images: val.images.slice(0, limit) },
    { imageSize: det.config.imageSize },
  );
  const dets: CocoDetection[] = [];
  let i = 0;
  for (const b of valImages.source({ batchSize: 32 }).batches(0, new Rng(0))) {
    const perImage = await det.detect(b.x as tf.Tensor4D, { scoreThreshold: 0.001, iouThreshold: 0.7 });
    tf.dispose([b.x as tf.Tensor, b.y]);
    for (const found of perImage) {
      const im = images[i++]!;
      for (const d of found) {
        const [x1, y1, x2, y2] = d.box;
        const { width: w = 256, height: h = 256 } = im;
        dets.push({
          image_id: im.id,
          category_id: catIds[d.classId]!,
          bbox: [x1 * w, y1 * h, (x2 - x1) * w, (y2 - y1) * h],
          score: d.score,
        });
      }
    }
  }
  return cocoEvaluate(gtSub, dets).stats;
}

function torchRow(setDir: string, batchSize: number, steps: number, limit: number): TorchRow | string {
  const args = [
    join(import.meta.dirname, 'detection_torch.py'),
    '--data',
    setDir,
    '--batch-size',
    String(batchSize),
  ];
  args.push('--steps', String(steps), ...(limit ? ['--limit', String(limit)] : []));
  const r = spawnSync('/usr/bin/python3', args, { encoding: 'utf8' });
  if (r.status !== 0) return (r.stderr || r.error?.message || 'failed').trim().split('\n').at(-1) ?? 'failed';
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as TorchRow;
}

export async function main(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string', default: '1' },
      quick: { type: 'boolean', default: false },
      'batch-size': { type: 'string', default: '16' },
      lr: { type: 'string', default: '0.002' },
      data: { type: 'string', default: join(defaultCacheDir(), 'datasets') },
      'torch-steps': { type: 'string', default: '6' },
      'no-torch': { type: 'boolean', default: false },
      seed: { type: 'string', default: '0' },
      'train-limit': { type: 'string' },
      'val-limit': { type: 'string' },
      'image-size': { type: 'string', default: '256' },
      'bn-momentum': { type: 'string' },
      'no-flip': { type: 'boolean', default: false },
    },
  });
  const epochs = Number(v.epochs);
  const batchSize = Number(v['batch-size']);
  const lr = Number(v.lr);
  if (!(epochs >= 1 && batchSize >= 1 && lr > 0)) {
    process.stderr.write('bench yolo: --epochs and --batch-size must be ≥ 1, --lr > 0\n');
    return 2;
  }
  const backend = await initBackend();
  const setDir = await ensureSet(v.data);
  const [trainLimit, valLimit] = [
    Number(v['train-limit'] ?? (v.quick ? 400 : 0)),
    Number(v['val-limit'] ?? (v.quick ? 100 : 500)),
  ];
  const imageSize = Number(v['image-size']);
  const trainSet = loadDetectionSet(setDir, 'train');
  if (trainLimit) trainSet.images = trainSet.images.slice(0, trainLimit);
  const val = loadDetectionSet(setDir, 'val');
  const train = (await detectionImages(trainSet, { imageSize, maxObjects: 8 })).source({
    batchSize,
    shuffle: true,
    flip: !v['no-flip'],
  });
  setSeed(Number(v.seed));
  const det = new YoloDetector({
    arch: 'yolo',
    numClasses: trainSet.classNames.length,
    imageSize,
    classNames: trainSet.classNames,
    ...(v['bn-momentum'] ? { bnMomentum: Number(v['bn-momentum']) } : {}),
  });
  const steps = epochs * train.length;
  const schedule = warmup(
    cosineLr({ lr, finalLr: lr / 100, totalSteps: Math.max(1, steps - train.length) }),
    {
      steps: Math.min(train.length, 300),
    },
  );
  console.log(
    `emoji-10: ${trainSet.images.length} train / ${valLimit} val images at 256 px, batch ${batchSize}, AdamW lr ${lr} (warm-up + cosine), backend ${backend.name} (${backend.threads} threads)`,
  );
  const rows: Array<{ epoch: number; loss: number; s: number; ap50: number; ap: number }> = [];
  let last = performance.now();
  await fit(det, train, {
    epochs,
    optimizer: { name: 'adamw', lr, weightDecay: 5e-4 },
    schedule,
    seed: Number(v.seed),
    progress: process.stderr.isTTY === true,
    callbacks: [
      {
        async onEpochEnd(record) {
          const s = (performance.now() - last) / 1000;
          const stats = await evaluate(det, setDir, val, valLimit);
          rows.push({ epoch: record.epoch, loss: Number(record.loss), s, ap50: stats.AP50, ap: stats.AP });
          console.log(
            `epoch ${record.epoch}: loss ${Number(record.loss).toFixed(4)}  ${s.toFixed(1)} s/epoch  val mAP50 ${stats.AP50.toFixed(3)}  mAP50-95 ${stats.AP.toFixed(3)}`,
          );
          last = performance.now();
        },
      },
    ],
  });
  det.dispose();
  const sEpoch = rows.reduce((a, r) => a + r.s, 0) / rows.length;
  const torch = v['no-torch']
    ? 'skipped (--no-torch)'
    : torchRow(setDir, batchSize, Number(v['torch-steps']), trainLimit);
  console.log('| | dlpipe | PyTorch (same net, loss, AdamW; 2 threads) |');
  console.log('| --- | --- | --- |');
  const t = typeof torch === 'string' ? undefined : torch;
  console.log(
    `| s/epoch (${trainSet.images.length} images) | ${sEpoch.toFixed(1)} | ${t ? `${t.s_per_epoch.toFixed(1)} (from ${t.s_per_step.toFixed(2)} s/step, torch ${t.torch})` : torch} |`,
  );
  const best = rows.at(-1)!;
  console.log(
    `| val mAP50 / mAP50-95 after ${rows.length} epoch(s) | ${best.ap50.toFixed(3)} / ${best.ap.toFixed(3)} | – |`,
  );
  if (t) console.log(`time ratio dlpipe/PyTorch: ${(sEpoch / t.s_per_epoch).toFixed(2)}×`);
  return 0;
}
