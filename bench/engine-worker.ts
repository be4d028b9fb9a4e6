/**
 * One measurement of `pnpm bench engine`, run in its own process so the parent can kill it when
 * it passes its time budget. Writes lines `INFO {json}`, `PROGRESS {json}`, then `RESULT {json}`
 * or `ERROR {json}` on stdout.
 *
 *   node --import tsx bench/engine-worker.ts --probe --backends cpu,wasm
 *   node --import tsx bench/engine-worker.ts --backend cpu --model lenet --mode train --budget 30
 *   node --import tsx bench/engine-worker.ts --backend wasm --mode sgemm --budget 20
 */
import { parseArgs } from 'node:util';
import { setSeed } from '@dlpipe/core';
import { type BackendName, initBackend, tf, useBackend } from '@dlpipe/tensor';
import { timeIt } from './lib/measure.js';
import { isModelName, MODEL_NAMES, MODELS } from './models/index.js';

type Mode = 'train' | 'forward' | 'sgemm';

function emit(kind: 'INFO' | 'PROGRESS' | 'RESULT' | 'ERROR', payload: unknown): void {
  process.stdout.write(`${kind} ${JSON.stringify(payload)}\n`);
}

/** Which of `names` load here, and why the others do not. */
async function probe(names: string[]): Promise<void> {
  const backends = [];
  for (const name of names) {
    try {
      const d = await useBackend(name as BackendName);
      backends.push({ name, ok: true, version: d.version, threads: d.threads, simd: d.simd });
    } catch (err) {
      backends.push({ name, ok: false, reason: (err as Error).message.split('\n')[0]?.trim() });
    }
  }
  emit('RESULT', { backends, tfjs: tf.version_core });
}

/** sgemm 1024³ with `tf.matMul`, read back to force completion. */
function sgemm(quick: boolean, deadline: number) {
  const n = 1024;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const timing = timeIt(
    () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    },
    { warmup: 3, iters: quick ? 3 : 10, deadline, onCall: (phase, i) => emit('PROGRESS', { phase, i }) },
  );
  tf.dispose([a, b]);
  return { ...timing, gflops: (2 * n ** 3) / timing.median / 1e9 };
}

/** Median train-step or forward time of one model, with a check that no tensor leaks. */
function model(name: string, mode: 'train' | 'forward', quick: boolean, deadline: number) {
  if (!isModelName(name))
    throw new Error(`unknown model '${name}'; expected one of ${MODEL_NAMES.join(', ')}`);
  const spec = MODELS[name];
  const batch = mode === 'train' ? spec.trainBatch(quick) : spec.forwardBatch;
  setSeed(0);
  const net = spec.create({ batch });
  emit('INFO', { params: net.paramCount(), batch });
  const step = mode === 'train' ? () => void net.trainStep() : () => net.forward();
  const counts: number[] = []; // live tensors before each call; the first call may create state
  const timing = timeIt(step, {
    warmup: spec.warmup,
    iters: quick ? 3 : 5,
    deadline,
    onCall: (phase, i) => {
      counts.push(tf.memory().numTensors);
      emit('PROGRESS', { phase, i });
    },
  });
  const leakedTensors = counts.length >= 2 ? tf.memory().numTensors - counts[1]! : undefined;
  net.dispose();
  return { ...timing, batch, leakedTensors };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      probe: { type: 'boolean', default: false },
      backends: { type: 'string', default: '' },
      backend: { type: 'string', default: 'cpu' },
      model: { type: 'string', default: '' },
      mode: { type: 'string', default: 'train' },
      budget: { type: 'string', default: '60' },
      quick: { type: 'boolean', default: false },
    },
  });
  if (values.probe) return probe(values.backends.split(',').filter(Boolean));
  const started = performance.now();
  // stop starting new calls with a margin before the parent's kill
  const deadline = started + Number(values.budget) * 1000 * 0.9;
  await initBackend({ backend: values.backend, notice: () => {} });
  const mode = values.mode as Mode;
  const result =
    mode === 'sgemm' ? sgemm(values.quick, deadline) : model(values.model, mode, values.quick, deadline);
  emit('RESULT', result);
}

main().catch((err: Error) => {
  emit('ERROR', { message: err.message, name: err.name });
  process.exitCode = 1;
});
