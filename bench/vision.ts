/**
 * `pnpm bench vision`: d2l's LeNet and LeNet-BN on Fashion-MNIST with d2l's settings (10 epochs,
 * batch 128, plain SGD lr 0.1), test accuracy and wall time per epoch, next to PyTorch's for the
 * same models and settings in the same run (bench/vision_torch.py, when python3-torch is installed).
 *
 *   pnpm bench vision [--epochs 10] [--lr 0.1] [--limit N] [--models lenet,lenet-bn] [--no-torch]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend, tensorDataSource, tf } from '@dlpipe/tensor';
import { loadMnistTensors, trainClassifier } from '@dlpipe/vision';

interface Row {
  model: string;
  accuracy: number;
  secondsPerEpoch: number;
}

function torchRows(a: { epochs: number; lr: number; limit: number; models: string }): Map<string, Row> {
  const script = join(import.meta.dirname, 'vision_torch.py');
  const args = [
    script,
    '--epochs',
    String(a.epochs),
    '--lr',
    String(a.lr),
    '--limit',
    String(a.limit),
    '--models',
    a.models,
  ];
  const r = spawnSync('/usr/bin/python3', args, { encoding: 'utf8' });
  const rows = new Map<string, Row>();
  if (r.status !== 0) {
    process.stderr.write(
      `bench vision: PyTorch reference skipped (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)})\n`,
    );
    return rows;
  }
  for (const line of r.stdout.trim().split('\n')) {
    const j = JSON.parse(line) as { model: string; accuracy: number; seconds_per_epoch: number };
    rows.set(j.model, { model: j.model, accuracy: j.accuracy, secondsPerEpoch: j.seconds_per_epoch });
  }
  return rows;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      epochs: { type: 'string', default: '10' },
      lr: { type: 'string', default: '0.1' },
      limit: { type: 'string', default: '0' },
      models: { type: 'string', default: 'lenet,lenet-bn' },
      'no-torch': { type: 'boolean', default: false },
    },
  });
  const a = {
    epochs: Number(values.epochs),
    lr: Number(values.lr),
    limit: Number(values.limit),
    models: values.models,
  };
  const backend = await initBackend();
  const data = loadMnistTensors('fashion-mnist', { limit: a.limit || undefined });
  const ours: Row[] = [];
  for (const model of a.models.split(',')) {
    const r = await trainClassifier({
      model,
      train: tensorDataSource(data.train, { batchSize: 128, shuffle: true }),
      test: data.test,
      classNames: data.classNames,
      epochs: a.epochs,
      optimizer: { name: 'sgd', lr: a.lr },
      runDir: mkdtempSync(join(tmpdir(), `dlpipe-bench-${model}-`)),
    });
    ours.push({ model, accuracy: r.testAccuracy, secondsPerEpoch: r.secondsPerEpoch });
    r.net.dispose();
  }
  tf.dispose([data.train.x, data.train.y, data.test.x, data.test.y]);
  const torch = values['no-torch'] ? new Map<string, Row>() : torchRows(a);
  console.log(`Fashion-MNIST, ${a.epochs} epochs, batch 128, SGD lr ${a.lr}; dlpipe backend ${backend.name}`);
  console.log('| model | dlpipe acc | dlpipe s/epoch | PyTorch acc | PyTorch s/epoch | time ratio |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of ours) {
    const t = torch.get(r.model);
    const f = (v: number | undefined, d: number) => (v === undefined ? '–' : v.toFixed(d));
    const ratio = t ? `${(r.secondsPerEpoch / t.secondsPerEpoch).toFixed(1)}×` : '–';
    console.log(
      `| ${r.model} | ${f(r.accuracy, 4)} | ${f(r.secondsPerEpoch, 2)} | ${f(t?.accuracy, 4)} | ${f(t?.secondsPerEpoch, 2)} | ${ratio} |`,
    );
  }
  return 0;
}
