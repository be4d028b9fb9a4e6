/**
 * `pnpm bench profile` — where a training step spends its time, kernel by kernel: runs a few
 * steps of a benchmark model under `tf.profile` on one backend and prints the kernels by total
 * time (count, total ms, % of kernel time, µs per call), plus wall time and kernel count per step.
 *
 *   pnpm bench profile --backend native --model resnet18 --batch 16 --steps 2
 *   pnpm bench profile --model resnet18 --batch 1 --mode infer --steps 20   # train | forward | infer
 */
import { parseArgs } from 'node:util';
import { setSeed } from '@dlpipe/core';
import { type BackendName, tf, useBackend } from '@dlpipe/tensor';
import { isModelName, MODEL_NAMES, MODELS } from './models/index.js';

interface Row {
  name: string;
  count: number;
  ms: number;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: 'string', default: 'native' },
      model: { type: 'string', default: 'lenet' },
      batch: { type: 'string' },
      steps: { type: 'string', default: '2' },
      mode: { type: 'string', default: 'train' },
      top: { type: 'string', default: '25' },
    },
  });
  const name = values.model!;
  const modes = ['train', 'forward', 'infer'];
  if (!modes.includes(values.mode!)) {
    process.stderr.write(`unknown --mode '${values.mode}'; expected one of ${modes.join(', ')}\n`);
    return 2;
  }
  if (!isModelName(name)) {
    process.stderr.write(`unknown model '${name}'; expected one of ${MODEL_NAMES.join(', ')}\n`);
    return 2;
  }
  await useBackend(values.backend as BackendName);
  const spec = MODELS[name];
  setSeed(0);
  const net = spec.create({ batch: Number(values.batch ?? spec.trainBatch(false)) });
  const infer = net.infer?.bind(net);
  if (values.mode === 'infer' && !infer) {
    process.stderr.write(`model '${name}' has no inference pass (--mode infer)\n`);
    return 2;
  }
  const step =
    values.mode === 'forward'
      ? () => net.forward()
      : values.mode === 'infer'
        ? infer!
        : () => net.trainStep();
  step(); // warm-up: primitive creation, optimizer slots
  const steps = Number(values.steps);
  const rows = new Map<string, Row>();
  let wall = 0;
  let kernels = 0;
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const info = await tf.profile(() => {
      step();
    });
    wall += performance.now() - t0;
    kernels += info.kernels.length;
    for (const k of info.kernels) {
      if (k.name.endsWith('__op')) continue; // op wrappers: their kernels are counted already
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const r = rows.get(k.name) ?? { name: k.name, count: 0, ms: 0 };
      r.count++;
      r.ms += ms;
      rows.set(k.name, r);
    }
  }
  net.dispose();
  const total = [...rows.values()].reduce((s, r) => s + r.ms, 0);
  const sorted = [...rows.values()].sort((a, b) => b.ms - a.ms).slice(0, Number(values.top));
  console.log(
    `${name} ${values.mode} on ${values.backend}: ${(wall / steps).toFixed(1)} ms/step wall (profiled), ` +
      `${(total / steps).toFixed(1)} ms in kernels, ${Math.round(kernels / steps)} kernels/step`,
  );
  console.log(
    `${'kernel'.padEnd(34)}${'calls'.padStart(7)}${'ms'.padStart(10)}${'%'.padStart(7)}${'µs/call'.padStart(10)}`,
  );
  for (const r of sorted) {
    console.log(
      `${r.name.padEnd(34)}${String(r.count / steps).padStart(7)}${(r.ms / steps).toFixed(2).padStart(10)}` +
        `${((100 * r.ms) / total).toFixed(1).padStart(7)}${((1000 * r.ms) / r.count).toFixed(0).padStart(10)}`,
    );
  }
  return 0;
}
