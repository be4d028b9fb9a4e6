/**
 * One measurement of `pnpm bench engine`, run in its own process so the parent can kill it when
 * it passes its time budget. Writes lines `INFO {json}`, `PROGRESS {json}`, then `RESULT {json}`
 * or `ERROR {json}` on stdout.
 *
 *   node --import tsx bench/engine-worker.ts --probe --backends cpu,wasm
 *   node --import tsx bench/engine-worker.ts --backend cpu --model lenet --mode train --budget 30
 *   node --import tsx bench/engine-worker.ts --backend wasm --mode sgemm --budget 20
 *   node --import tsx bench/engine-worker.ts --backend native --mode dispatch --budget 20
 *   node --import tsx bench/engine-worker.ts --backend native --model resnet18 --mode latency --budget 30
 *   node --import tsx bench/engine-worker.ts --backend native --mode bmm --shape square --budget 20
 *
 * Every RESULT carries `peakRssMB`, the process's peak resident memory (node, tfjs and the
 * backend included), and `baseRssMB`, the peak before the workload's tensors were made.
 */
import { parseArgs } from 'node:util';
import { setSeed } from '@dlpipe/core';
import {
  type BackendName,
  type DispatchCounts,
  dispatchCounts,
  dispatchTotals,
  initBackend,
  resetDispatchCounts,
  tf,
  useBackend,
} from '@dlpipe/tensor';
import { BMM_SHAPES, bmmShapeOf } from './lib/bmm-shapes.js';
import { median, timeIt } from './lib/measure.js';
import { type BenchModelSpec, isModelName, MODEL_NAMES, MODELS } from './models/index.js';

type Mode = 'train' | 'forward' | 'latency' | 'sgemm' | 'bmm' | 'dispatch';

/** Peak resident memory of this process so far, MB. */
const peakRssMB = () => process.resourceUsage().maxRSS / 1024;

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

/** A batched product's sizes: `batch` matrices [m, k] · [k, n]. */
interface ProductShape {
  batch: number;
  m: number;
  k: number;
  n: number;
}

/**
 * Largest relative error of c = a·b against float64 dot products on 8 entries of the first and of
 * the last matrix (a wrong or skipped product shows).
 */
function checkProduct(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  { batch, m, k, n }: ProductShape,
): number {
  let worst = 0;
  for (const z of new Set([0, batch - 1])) {
    for (let s = 0; s < 8; s++) {
      const i = (s * 131 + 7) % m;
      const j = (s * 257 + 3) % n;
      let dot = 0;
      let mag = 0;
      for (let q = 0; q < k; q++) {
        const p = a[(z * m + i) * k + q]! * b[(z * k + q) * n + j]!;
        dot += p;
        mag += Math.abs(p);
      }
      worst = Math.max(worst, Math.abs(c[(z * m + i) * n + j]! - dot) / mag);
    }
  }
  return worst;
}

/** The error of `tf.matMul(a, b)` against float64 dot products (checkProduct). */
function productError(a: tf.Tensor, b: tf.Tensor, shape: ProductShape, c?: Float32Array): number {
  const product = c ? undefined : tf.matMul(a, b);
  const values = c ?? (product!.dataSync() as Float32Array);
  product?.dispose();
  return checkProduct(a.dataSync() as Float32Array, b.dataSync() as Float32Array, values, shape);
}

/**
 * sgemm 1024³ with `tf.matMul`, read back to force completion: 2·n³ FLOP over the median time of
 * one matMul, and the product checked against float64 dot products.
 */
function sgemm(quick: boolean, deadline: number) {
  const n = 1024;
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  let c: Float32Array | undefined;
  resetDispatchCounts();
  const timing = timeIt(
    () => {
      const t = tf.matMul(a, b);
      c = t.dataSync() as Float32Array;
      t.dispose();
    },
    { warmup: 3, iters: quick ? 3 : 10, deadline, onCall: (phase, i) => emit('PROGRESS', { phase, i }) },
  );
  const maxRelErr = productError(a, b, { batch: 1, m: n, k: n, n }, c);
  tf.dispose([a, b]);
  const counts = dispatchCounts().BatchMatMul;
  const flop = 2 * n ** 3;
  return { ...timing, n, flop, gflops: flop / timing.median / 1e9, maxRelErr, matMulPath: counts };
}

/**
 * `tf.matMul` of [b, m, k] · [b, k, n] (bench/lib/bmm-shapes.ts): 2·b·m·n·k FLOP over the median
 * time, and the product checked against float64 dot products.
 */
function bmm(which: string, quick: boolean, deadline: number) {
  const name = bmmShapeOf(which);
  if (!name)
    throw new Error(`unknown --shape '${which}'; expected one of ${Object.keys(BMM_SHAPES).join(', ')}`);
  const shape = BMM_SHAPES[name];
  const { batch, m, k, n } = shape;
  const a = tf.randomNormal([batch, m, k]);
  const b = tf.randomNormal([batch, k, n]);
  // Not read back: every backend here runs kernels synchronously in Node, so the product is done
  // when matMul returns. Reading it would hand its storage out for good, so every call would fill a
  // fresh 16–64 MB array; a model passes the product on to its next op instead.
  const timing = timeIt(
    () => {
      tf.matMul(a, b).dispose();
    },
    { warmup: 3, iters: quick ? 5 : 15, deadline, onCall: (phase, i) => emit('PROGRESS', { phase, i }) },
  );
  const maxRelErr = productError(a, b, shape);
  tf.dispose([a, b]);
  const flop = 2 * batch * m * n * k;
  return { ...timing, flop, gflops: flop / timing.median / 1e9, maxRelErr, shape };
}

/** Kernels per step by path (native backend only: the counters count its dispatches). */
function perStep(counts: DispatchCounts, steps: number) {
  const t = dispatchTotals(counts);
  const top = (key: 'fallback' | 'cpu') =>
    Object.entries(counts)
      .filter(([, c]) => c[key] > 0)
      .sort((x, y) => y[1][key] - x[1][key])
      .slice(0, 8)
      .map(([name, c]) => ({
        name,
        perStep: c[key] / steps,
        reasons:
          key === 'fallback'
            ? Object.fromEntries(Object.entries(c.reasons).map(([r, k]) => [r, k / steps]))
            : undefined,
      }));
  return {
    native: t.native / steps,
    fallback: t.fallback / steps,
    cpu: t.cpu / steps,
    all: t.all / steps,
    topFallbacks: top('fallback'),
    topCpu: top('cpu'),
  };
}

/**
 * The cost of one tiny dispatch (Add of two [1] tensors), median of 5 rounds of `n` calls: through
 * the op (`tf.add`), through `engine.runKernel`, and calling the registered kernel function
 * directly (no engine). op − direct is what tfjs's engine adds per kernel.
 */
function dispatchCost(quick: boolean) {
  const n = quick ? 2000 : 10000;
  const a = tf.tensor1d([1]);
  const b = tf.tensor1d([2]);
  const backend = tf.backend();
  const kernel = tf.getKernel('Add', tf.getBackend())!.kernelFunc;
  const round = (fn: () => void) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    return ((performance.now() - t0) * 1000) / n;
  };
  const ways = {
    op: () => tf.add(a, b).dispose(),
    runKernel: () => (tf.engine().runKernel('Add', { a, b }) as tf.Tensor).dispose(),
    direct: () => {
      const out = kernel({ inputs: { a, b }, backend, attrs: {} }) as tf.TensorInfo;
      backend.disposeData(out.dataId);
    },
  };
  const us: Record<string, number> = {};
  for (const [name, fn] of Object.entries(ways)) {
    round(fn); // warm-up
    us[name] = median(Array.from({ length: 5 }, () => round(fn)));
  }
  tf.dispose([a, b]);
  return { n, usPerCall: us, engineUs: us.op! - us.direct! };
}

/** Median train-step or forward time of one model, with a check that no tensor leaks. */
function model(name: string, mode: 'train' | 'forward' | 'latency', quick: boolean, deadline: number) {
  if (!isModelName(name))
    throw new Error(`unknown model '${name}'; expected one of ${MODEL_NAMES.join(', ')}`);
  const spec: BenchModelSpec = MODELS[name];
  if (mode === 'latency' && spec.latencyBatch === undefined)
    throw new Error(`model '${name}' has no latency row`);
  const batch =
    mode === 'train' ? spec.trainBatch(quick) : mode === 'latency' ? spec.latencyBatch! : spec.forwardBatch;
  setSeed(0);
  const net = spec.create({ batch });
  emit('INFO', { params: net.paramCount(), batch });
  const infer = net.infer?.bind(net);
  if (mode === 'latency' && !infer) throw new Error(`model '${name}' has no inference pass`);
  const step =
    mode === 'train' ? () => void net.trainStep() : mode === 'latency' ? infer! : () => net.forward();
  const counts: number[] = []; // live tensors before each call; the first call may create state
  const timing = timeIt(step, {
    warmup: mode === 'latency' ? 3 : spec.warmup,
    iters: mode === 'latency' ? (quick ? 10 : 30) : quick ? 3 : (spec.iters ?? 5),
    deadline,
    onCall: (phase, i) => {
      counts.push(tf.memory().numTensors);
      if (phase === 'timed' && i === 0) resetDispatchCounts();
      emit('PROGRESS', { phase, i });
    },
  });
  const leakedTensors = counts.length >= 2 ? tf.memory().numTensors - counts[1]! : undefined;
  const kernels = timing.times.length > 0 ? perStep(dispatchCounts(), timing.times.length) : undefined;
  net.dispose();
  return { ...timing, batch, leakedTensors, kernels: kernels && kernels.all > 0 ? kernels : undefined };
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
      shape: { type: 'string', default: 'attention' },
    },
  });
  if (values.probe) return probe(values.backends.split(',').filter(Boolean));
  const started = performance.now();
  // stop starting new calls with a margin before the parent's kill
  const deadline = started + Number(values.budget) * 1000 * 0.9;
  await initBackend({ backend: values.backend, notice: () => {} });
  const mode = values.mode as Mode;
  const baseRssMB = peakRssMB();
  const result =
    mode === 'sgemm'
      ? sgemm(values.quick, deadline)
      : mode === 'bmm'
        ? bmm(values.shape, values.quick, deadline)
        : mode === 'dispatch'
          ? dispatchCost(values.quick)
          : model(values.model, mode, values.quick, deadline);
  emit('RESULT', { ...result, baseRssMB, peakRssMB: peakRssMB() });
}

main().catch((err: Error) => {
  emit('ERROR', { message: err.message, name: err.name });
  process.exitCode = 1;
});
