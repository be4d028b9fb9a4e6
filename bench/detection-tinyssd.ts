/**
 * `pnpm bench tinyssd`: d2l §14.7's TinySSD trained on the banana set with d2l's settings (batch
 * 32, SGD lr 0.2 with weight decay 5e-4, 20 epochs). Prints per epoch the loss, d2l's class error
 * and bbox MAE (on the training batches, with each batch's forward-pass predictions, as d2l),
 * examples/s and s/epoch; then writes the detection figure (val images, boxes scoring ≥ 0.9 with
 * their scores) and the goal rows (d2l after 20 epochs: class err 3.2e-3, bbox mae 3.1e-3).
 *
 *   pnpm bench tinyssd [--epochs 20] [--quick] [--seed 0] [--out runs/bench-tinyssd]
 *
 * `--quick` trains one epoch of 4 batches (a smoke run of the whole path: data, fit, detect, figure).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '@dlpipe/core';
import { type DataSource, fit, initBackend, tf, type XYBatch } from '@dlpipe/tensor';
import {
  BboxMaeMetric,
  ClassErrorMetric,
  createDetector,
  type DetectionDataSource,
  loadDataBananas,
  writeDetectionFigure,
} from '@dlpipe/vision';

/** d2l's numbers after 20 epochs, and the goals. */
const GOALS = [
  { key: 'class_err', label: 'class error', d2l: 3.2e-3, max: 3.5e-3 },
  { key: 'bbox_mae', label: 'bbox MAE', d2l: 3.1e-3, max: 3.5e-3 },
] as const;

/** The first `k` batches of each epoch. */
function firstBatches(src: DataSource<XYBatch>, k: number): DataSource<XYBatch> {
  return {
    length: Math.min(k, src.length ?? k),
    async *batches(epoch, rng) {
      let i = 0;
      for await (const b of src.batches(epoch, rng)) {
        if (i++ >= k) {
          tf.dispose([b.x, b.y]);
          break;
        }
        yield b;
      }
    },
  };
}

/** The first `n` images of the (unshuffled) val set as one tensor. */
function valImages(val: DetectionDataSource, n: number): tf.Tensor4D {
  const first = val.batches(0, new Rng(0)).next();
  if (first.done) return tf.zeros([0, 256, 256, 3]);
  const x = first.value.x as tf.Tensor4D;
  const out = x.slice([0, 0, 0, 0], [Math.min(n, x.shape[0]), -1, -1, -1]);
  tf.dispose([first.value.x, first.value.y]);
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string', default: '20' },
      quick: { type: 'boolean', default: false },
      batch: { type: 'string', default: '32' },
      lr: { type: 'string', default: '0.2' },
      seed: { type: 'string', default: '0' },
      out: { type: 'string', default: 'runs/bench-tinyssd' },
    },
  });
  const epochs = v.quick ? 1 : Number(v.epochs);
  const batchSize = Number(v.batch);
  const lr = Number(v.lr);
  if (![epochs, batchSize].every((n) => Number.isInteger(n) && n >= 1) || !(lr > 0)) {
    process.stderr.write(
      `bench tinyssd: --epochs and --batch must be positive integers and --lr positive; received ${v.epochs}, ${v.batch}, ${v.lr}\n`,
    );
    return 2;
  }
  const backend = await initBackend();
  const t0 = performance.now();
  const data = await loadDataBananas(batchSize);
  const train = v.quick ? firstBatches(data.train, 4) : data.train;
  console.log(
    `bananas: ${data.train.length} batches of ${batchSize} (256×256), loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
      `TinySSD, SGD lr ${lr} weight decay 5e-4, ${epochs} epoch(s); backend ${backend.name}`,
  );
  const det = createDetector({ arch: 'tinyssd', numClasses: 1, imageSize: 256, classNames: data.classNames });
  // CPU seconds (user + system, all threads) say what an epoch costs when others share the machine.
  console.log('| epoch | loss | class err | bbox mae | examples/s | s/epoch | CPU s/epoch |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  let epochStart = 0;
  let cpuStart = process.cpuUsage();
  let seen = 0;
  const last: Record<string, number> = {};
  await fit(det, train, {
    epochs,
    // PyTorch's SGD(weight_decay=λ) without momentum is w ← w − lr·(g + λw) = SGDW's w(1 − lr·λ) − lr·g.
    optimizer: { name: 'sgdw', lr, weightDecay: 5e-4 },
    metrics: [new ClassErrorMetric(), new BboxMaeMetric()],
    seed: Number(v.seed),
    progress: false,
    callbacks: [
      {
        onEpochBegin: () => {
          epochStart = performance.now();
          cpuStart = process.cpuUsage();
          seen = 0;
        },
        onBatchEnd: (logs) => {
          seen += logs.size;
        },
        onEpochEnd: (r) => {
          const s = (performance.now() - epochStart) / 1000;
          const cpu = process.cpuUsage(cpuStart);
          Object.assign(last, r);
          console.log(
            `| ${r.epoch} | ${Number(r.loss).toFixed(5)} | ${Number(r.class_err).toExponential(2)} | ` +
              `${Number(r.bbox_mae).toExponential(2)} | ${(seen / s).toFixed(1)} | ${s.toFixed(1)} | ${((cpu.user + cpu.system) / 1e6).toFixed(1)} |`,
          );
        },
      },
    ],
  });
  mkdirSync(v.out!, { recursive: true });
  const images = valImages(data.val, v.quick ? 4 : 8);
  const found = await det.detect(images, { scoreThreshold: 0.9 });
  const figure = await writeDetectionFigure(images, found, join(v.out!, 'detections.png'), {
    classNames: data.classNames,
  });
  console.log(
    `${figure}: ${found.reduce((s, d) => s + d.length, 0)} boxes scoring ≥ 0.9 on ${images.shape[0]} val images`,
  );
  console.log('| goal (last epoch) | d2l, 20 epochs | target | this run | |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const g of GOALS) {
    const got = last[g.key] ?? Number.NaN;
    console.log(
      `| ${g.label} | ${g.d2l.toExponential(1)} | ≤ ${g.max.toExponential(1)} | ${got.toExponential(2)} | ${got <= g.max ? 'PASS' : 'FAIL'} |`,
    );
  }
  images.dispose();
  det.dispose();
  return 0;
}
