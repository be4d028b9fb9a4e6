/**
 * `pnpm bench engine` — the scoreboard of dlpipe's compute engine: for each backend that loads
 * and each model, the median training-step and forward time next to PyTorch's on this machine,
 * plus sgemm 1024³. Every measurement runs in a child process (engine-worker.ts) with a time
 * budget, so a backend that takes minutes per step shows `timeout (> N s)` instead of hanging.
 *
 *   pnpm bench engine --quick --backends cpu,wasm
 *   pnpm bench engine --json --models lenet,transformer
 */
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BACKEND_ORDER, type BackendName } from '@dlpipe/tensor';
import { type BackendStatus, type Cell, type EngineReport, renderTable } from './engine-report.js';
import { BMM_ROWS, type BmmRow } from './lib/bmm-shapes.js';
import { runChild } from './lib/child.js';
import { cpuPeak } from './lib/cpu-peak.js';
import { Progress } from './lib/progress.js';
import {
  type TorchGroup,
  type TorchReference,
  TorchReferenceRuns,
  torchEntry,
  torchSeconds,
} from './lib/torch-reference.js';
import { type BenchModelSpec, isModelName, MODEL_NAMES, MODELS, type ModelName } from './models/index.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKER = fileURLToPath(new URL('./engine-worker.ts', import.meta.url));
/** The order cells run in: cheap first, so a slow model cannot starve the others. */
const RUN_ORDER: ModelName[] = [
  'lenet',
  'lenet-ops',
  'transformer',
  'gru-lm',
  'gru-lm-scratch',
  'lstm-lm',
  'lstm-lm-scratch',
  'resnet18',
  'resnet18-ops',
];

/** Options of `pnpm bench engine`. */
export interface EngineOptions {
  /** Print one JSON object instead of the table. */
  json: boolean;
  /** Fewer steps, smaller budgets (under ~3 minutes). */
  quick: boolean;
  /** Backends to try, best first (default: all of BACKEND_ORDER). */
  backends: string[];
  /** Models to run (default: all). */
  models: ModelName[];
  /** Seconds for the whole run (default 540, quick 170). */
  budgetS: number;
  /** Repeat the whole measurement (PyTorch included) this many times, printing each pass. */
  passes: number;
}

const USAGE =
  'usage: pnpm bench engine [--json] [--quick] [--backends cpu,wasm] [--models lenet,resnet18,transformer] ' +
  '[--budget <seconds>] [--passes N]';

function list(value: string | undefined, known: readonly string[], what: string): string[] {
  if (!value) return [...known];
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !known.includes(n));
  if (bad.length)
    throw new Error(`unknown ${what} '${bad.join(', ')}'; expected some of ${known.join(', ')}`);
  return names;
}

/** `--help` was given: print the usage and exit 0. */
class HelpRequested extends Error {}

export function parseEngineArgs(argv: string[]): EngineOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      backends: { type: 'string' },
      models: { type: 'string' },
      budget: { type: 'string' },
      passes: { type: 'string' },
    },
  });
  if (values.help) throw new HelpRequested();
  const budgetS = values.budget === undefined ? (values.quick ? 170 : 540) : Number(values.budget);
  if (!(budgetS > 0)) throw new Error(`--budget must be a number of seconds > 0, got '${values.budget}'`);
  const models = list(values.models, MODEL_NAMES, 'model').filter(isModelName);
  const backends = list(values.backends, BACKEND_ORDER, 'backend');
  backends.sort((a, b) => BACKEND_ORDER.indexOf(a as BackendName) - BACKEND_ORDER.indexOf(b as BackendName));
  const passes = values.passes === undefined ? 1 : Number(values.passes);
  if (!Number.isInteger(passes) || passes < 1)
    throw new Error(`--passes must be an integer >= 1, got '${values.passes}'`);
  return {
    json: values.json,
    quick: values.quick,
    backends,
    models,
    budgetS,
    passes,
  };
}

function worker(args: string[], budgetS: number, progress?: Progress) {
  return runChild(process.execPath, ['--import', 'tsx', WORKER, ...args], {
    cwd: REPO_ROOT,
    budgetS,
    env: { DLPIPE_QUIET: '1' },
    onLine: (kind, data) => {
      if (kind === 'PROGRESS') progress?.step(data as { phase: string; i: number });
    },
  });
}

async function probeBackends(names: string[]): Promise<{ backends: BackendStatus[]; tfjs?: string }> {
  const out = await worker(['--probe', '--backends', names.join(',')], 120);
  const result = out.result as { backends: BackendStatus[]; tfjs: string } | undefined;
  if (result) return result;
  const reason = out.timedOut ? 'probe timed out' : (out.error ?? 'probe failed');
  return { backends: names.map((name) => ({ name, ok: false, reason })) };
}

/** A cell to measure: which model and mode on which backend. */
interface Job {
  backend: string;
  model: ModelName | 'sgemm' | BmmRow | 'dispatch';
  mode: Cell['mode'];
}

function planJobs(backends: string[], models: ModelName[]): Job[] {
  const jobs: Job[] = backends.flatMap((backend) => [
    { backend, model: 'sgemm' as const, mode: 'sgemm' as const },
    ...BMM_ROWS.map((model) => ({ backend, model, mode: 'bmm' as const })),
    { backend, model: 'dispatch' as const, mode: 'dispatch' as const },
  ]);
  for (const model of RUN_ORDER.filter((m) => models.includes(m))) {
    const spec: BenchModelSpec = MODELS[model];
    const modes = spec.latencyBatch === undefined ? MODEL_MODES.slice(0, 2) : MODEL_MODES;
    for (const mode of modes) {
      for (const backend of backends) jobs.push({ backend, model, mode });
    }
  }
  return jobs;
}

const MODEL_MODES = ['forward', 'train', 'latency'] as const;
type ModelMode = (typeof MODEL_MODES)[number];

/** This cell's budget: at most a cap, leaving every later cell at least a floor. */
function cellBudget(remainingS: number, jobsLeft: number, quick: boolean): number {
  const [floor, cap] = quick ? [8, 30] : [15, 120];
  const fair = (remainingS / jobsLeft) * 2;
  return Math.floor(Math.min(cap, fair, remainingS - floor * (jobsLeft - 1)));
}

/** Why a job is not run: no time left, or its forward pass alone already timed out. */
function skipReason(job: Job, done: Cell[], budgetS: number): string | undefined {
  if (budgetS < 3) return 'out of time';
  if (job.mode !== 'train') return undefined;
  const forward = done.find(
    (c) => c.backend === job.backend && c.model === job.model && c.mode === 'forward',
  );
  return forward?.status === 'timeout' ? `forward > ${forward.budgetS} s` : undefined;
}

/** The reference's key for a model's row, e.g. `resnet18_b32`, `lenetfwd_b256`, `resnetlat_b1`. */
function torchKey(job: { model: ModelName; mode: ModelMode }, quick: boolean): string {
  const spec: BenchModelSpec = MODELS[job.model];
  if (job.mode === 'latency') return `${spec.torchKeys.latency}_b${spec.latencyBatch}`;
  const batch = job.mode === 'train' ? spec.trainBatch(quick) : spec.forwardBatch;
  return `${job.mode === 'train' ? spec.torchKeys.train : spec.torchKeys.forward}_b${batch}`;
}

/** The reference group measuring a job: a model's own, `matmul` for sgemm, BatchMatMul and dispatch. */
function torchGroupOf(model: Job['model']): TorchGroup {
  return isModelName(model) ? MODELS[model].torchGroup : 'matmul';
}

/** The reference's key of a BatchMatMul row (`bmm-square` → `bmm_square`). */
function torchBmmKey(row: string): string {
  return row.replace('-', '_');
}

function torchSgemm(ref: TorchReference): number | undefined {
  const e = ref.ok ? ref.result.sgemm1024 : undefined;
  return typeof e === 'object' ? e.gflops : undefined;
}

interface WorkerResult {
  median: number;
  times: number[];
  gflops?: number;
  maxRelErr?: number;
  kernels?: Cell['kernels'];
  usPerCall?: NonNullable<Cell['dispatch']>['usPerCall'];
  engineUs?: number;
  batch?: number;
  leakedTensors?: number;
  peakRssMB?: number;
  baseRssMB?: number;
}

async function runJob(
  job: Job,
  budgetS: number,
  opts: EngineOptions,
  ref: TorchReference,
  progress: Progress,
) {
  const args = ['--backend', job.backend, '--mode', job.mode, '--budget', String(budgetS)];
  if (job.mode === 'bmm') args.push('--shape', job.model.replace('bmm-', ''));
  else if (job.model !== 'sgemm' && job.model !== 'dispatch') args.push('--model', job.model);
  if (opts.quick) args.push('--quick');
  const out = await worker(args, budgetS, progress);
  const cell: Cell = { backend: job.backend, model: job.model, mode: job.mode, status: 'ok', budgetS };
  if (typeof out.info.params === 'number') cell.params = out.info.params;
  if (out.timedOut) return { ...cell, status: 'timeout' as const };
  const r = out.result as WorkerResult | undefined;
  if (!r) return { ...cell, status: 'error' as const, error: out.error ?? 'no result' };
  if (job.mode === 'dispatch' && r.usPerCall) {
    return { ...cell, dispatch: { usPerCall: r.usPerCall, engineUs: r.engineUs ?? Number.NaN } };
  }
  Object.assign(cell, {
    seconds: r.median,
    iters: r.times.length,
    batch: r.batch,
    leakedTensors: r.leakedTensors,
    kernels: r.kernels,
    peakRssMB: r.peakRssMB,
    baseRssMB: r.baseRssMB,
  });
  if (job.mode === 'sgemm' || job.mode === 'bmm') {
    cell.gflops = r.gflops;
    cell.maxRelErr = r.maxRelErr;
    // a wrong or skipped product would give any speed: refuse the figure
    if (!(r.maxRelErr !== undefined && r.maxRelErr < 1e-4)) {
      return { ...cell, status: 'error' as const, error: `wrong product (max rel. error ${r.maxRelErr})` };
    }
    cell.torch = job.mode === 'sgemm' ? torchSgemm(ref) : torchEntry(ref, torchBmmKey(job.model))?.gflops;
    if (cell.torch && r.gflops) cell.ratio = r.gflops / cell.torch;
  } else {
    const mode = job.mode as ModelMode;
    const entry = torchEntry(ref, torchKey({ model: job.model as ModelName, mode }, opts.quick));
    cell.torch = entry?.s;
    cell.torchRssMB = entry?.rss_mb;
    cell.torchBaseRssMB = entry?.base_rss_mb;
    if (cell.torch) cell.ratio = r.median / cell.torch;
  }
  return cell;
}

export async function runEngine(opts: EngineOptions, progress: Progress): Promise<EngineReport> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const loadAtStart = loadavg();
  progress.note('probing backends …');
  const { backends, tfjs } = await probeBackends(opts.backends);
  progress.note(
    `backends: ${backends.map((b) => `${b.name} ${b.ok ? 'ok' : `no (${b.reason})`}`).join('; ')}`,
  );
  const reference = new TorchReferenceRuns({ repoRoot: REPO_ROOT, quick: opts.quick });
  if (!reference.ref.ok) progress.note(reference.ref.reason);
  const jobs = planJobs(
    backends.filter((b) => b.ok).map((b) => b.name),
    opts.models,
  );
  const cells: Cell[] = [];
  for (const [i, job] of jobs.entries()) {
    // PyTorch measures a group right before dlpipe's cells of it, so both see the same machine
    const group = torchGroupOf(job.model);
    if (reference.ref.ok && !reference.ran(group)) {
      progress.note(`PyTorch reference: ${group}${opts.quick ? ' (--quick)' : ''} …`);
      const ref = await reference.ensure(group);
      if (!ref.ok) progress.note(ref.reason);
    }
    const budgetS = cellBudget(opts.budgetS - elapsed(), jobs.length - i, opts.quick);
    const skip = skipReason(job, cells, budgetS);
    if (skip) {
      cells.push({ ...job, status: 'skipped', budgetS: 0, reason: skip });
      continue;
    }
    const name =
      job.model === 'sgemm' || job.model === 'dispatch'
        ? `${job.backend} ${job.model === 'sgemm' ? 'sgemm 1024³' : 'dispatch cost'}`
        : job.mode === 'bmm'
          ? `${job.backend} ${job.model}`
          : `${job.backend} ${job.model} ${job.mode}`;
    progress.start(`[${i + 1}/${jobs.length}] ${name} (budget ${budgetS} s)`);
    const cell = await runJob(job, budgetS, opts, reference.ref, progress);
    progress.done(cell);
    cells.push(cell);
  }
  const ref = reference.ref;
  const models = opts.models.map((name) => {
    const spec: BenchModelSpec = MODELS[name];
    const params = cells.find((c) => c.model === name && c.params !== undefined)?.params;
    const row = {
      name,
      trainBatch: spec.trainBatch(opts.quick),
      forwardBatch: spec.forwardBatch,
      latencyBatch: spec.latencyBatch,
    };
    const torchTrain = torchSeconds(ref, torchKey({ model: name, mode: 'train' }, opts.quick));
    const torchForward = torchSeconds(ref, torchKey({ model: name, mode: 'forward' }, opts.quick));
    const torchLatency =
      spec.latencyBatch === undefined
        ? undefined
        : torchSeconds(ref, torchKey({ model: name, mode: 'latency' }, opts.quick));
    return { ...row, params, torchParams: spec.torchParams, torchTrain, torchForward, torchLatency };
  });
  const torch = ref.ok
    ? {
        available: true,
        version: String(ref.result.version),
        threads: Number(ref.result.threads),
        sgemmGflops: torchSgemm(ref),
        bmmGflops: Object.fromEntries(BMM_ROWS.map((b) => [b, torchEntry(ref, torchBmmKey(b))?.gflops])),
        result: ref.result,
      }
    : { available: false, reason: ref.reason };
  const machine = {
    peak: cpuPeak(),
    loadavg: loadAtStart,
    cpus: cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  return {
    bench: 'engine',
    quick: opts.quick,
    machine,
    tfjs,
    torch,
    backends,
    models,
    cells,
    wallS: elapsed(),
  };
}

/** Entry of `pnpm bench engine`; returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  let opts: EngineOptions;
  try {
    opts = parseEngineArgs(argv);
  } catch (err) {
    if (err instanceof HelpRequested) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    process.stderr.write(`bench engine: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const reports = [];
  for (let pass = 1; pass <= opts.passes; pass++) {
    const report = await runEngine(opts, new Progress());
    reports.push(report);
    if (!opts.json) {
      if (opts.passes > 1) process.stdout.write(`\npass ${pass} of ${opts.passes}\n`);
      process.stdout.write(renderTable(report));
    }
  }
  if (opts.json) process.stdout.write(`${JSON.stringify(opts.passes > 1 ? reports : reports[0], null, 2)}\n`);
  return 0;
}
