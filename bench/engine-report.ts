/**
 * What `pnpm bench engine` measured, as one JSON-ready object, and its rendering as a table:
 * rows = model × (train step / forward) plus sgemm, columns = PyTorch, then each backend with its
 * ratio to PyTorch.
 *
 *   process.stdout.write(renderTable(report));
 */
import { BMM_ROWS, bmmLabel } from './lib/bmm-shapes.js';
import { abovePeakWarning, type CpuPeak, pctOfPeak } from './lib/cpu-peak.js';
import type { TorchResult } from './lib/torch-reference.js';

export type CellMode = 'train' | 'forward' | 'latency' | 'sgemm' | 'bmm' | 'dispatch';

/** Kernels per step on the native backend, by path (from its dispatch counters). */
export interface KernelsPerStep {
  native: number;
  fallback: number;
  cpu: number;
  all: number;
  topFallbacks: Array<{ name: string; perStep: number; reasons?: Record<string, number> }>;
  topCpu: Array<{ name: string; perStep: number }>;
}

/** Microseconds per tiny dispatch (Add of [1] tensors): via the op, runKernel, the kernel alone. */
export interface DispatchCost {
  usPerCall: { op: number; runKernel: number; direct: number };
  engineUs: number;
}
export type CellStatus = 'ok' | 'timeout' | 'error' | 'skipped';

/** One (backend, model, mode) measurement. */
export interface Cell {
  backend: string;
  /** A model name, or `sgemm`. */
  model: string;
  mode: CellMode;
  status: CellStatus;
  /** Median seconds per step (per matMul for sgemm). */
  seconds?: number;
  /** sgemm only. */
  gflops?: number;
  /** PyTorch's seconds (GFLOP/s for sgemm) for the same row. */
  torch?: number;
  /** seconds / PyTorch's seconds; for sgemm GFLOP/s / PyTorch's GFLOP/s. */
  ratio?: number;
  /** Timed calls behind the median; 0 when only a warm-up run fitted the budget. */
  iters?: number;
  batch?: number;
  params?: number;
  /** Kernels per step by path (native backend). */
  kernels?: KernelsPerStep;
  /** dispatch cells: the cost of one tiny dispatch. */
  dispatch?: DispatchCost;
  /** sgemm: largest relative error of sampled entries against float64 dot products. */
  maxRelErr?: number;
  /** Live tensors gained over the timed steps (0 = no leak). */
  leakedTensors?: number;
  /** Peak resident memory of the cell's process, MB, and that peak before the workload's tensors. */
  peakRssMB?: number;
  baseRssMB?: number;
  /** The same for PyTorch's process running this workload's group (train: after its train steps). */
  torchRssMB?: number;
  torchBaseRssMB?: number;
  /** Seconds the child process was allowed. */
  budgetS: number;
  error?: string;
  /** Why a skipped cell was not run. */
  reason?: string;
}

export interface BackendStatus {
  name: string;
  ok: boolean;
  reason?: string;
  version?: string;
  threads?: number;
  simd?: boolean;
}

export interface ModelRow {
  name: string;
  trainBatch: number;
  forwardBatch: number;
  /** Trainable parameters counted in dlpipe (undefined if no child got that far). */
  params?: number;
  torchParams: number;
  /** Batch of the latency row (inference forward), where the model has one. */
  latencyBatch?: number;
  /** PyTorch's seconds per train step, per forward and per inference forward, where the reference ran. */
  torchTrain?: number;
  torchForward?: number;
  torchLatency?: number;
}

export interface EngineReport {
  bench: 'engine';
  quick: boolean;
  machine: { cpus: number; node: string; platform: string; peak: CpuPeak; loadavg: number[] };
  tfjs?: string;
  torch: {
    available: boolean;
    reason?: string;
    version?: string;
    threads?: number;
    sgemmGflops?: number;
    /** PyTorch's GFLOP/s of each BatchMatMul row. */
    bmmGflops?: Record<string, number | undefined>;
    /** The reference's RESULT as it printed it. */
    result?: TorchResult;
  };
  backends: BackendStatus[];
  models: ModelRow[];
  cells: Cell[];
  wallS: number;
}

const ERROR_WIDTH = 44;

export function fmtSeconds(s: number): string {
  return `${s >= 100 ? s.toFixed(0) : s.toPrecision(3)} s`;
}

export function fmtRatio(r: number): string {
  return `${r >= 100 ? Math.round(r) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}

/** The text of one cell; long errors are cut and numbered into `notes`. */
function cellText(cell: Cell | undefined, notes: string[], peak: CpuPeak): string {
  if (!cell) return '';
  if (cell.status === 'timeout') return `timeout (> ${cell.budgetS} s)`;
  if (cell.status === 'skipped') return `skipped (${cell.reason ?? 'out of time'})`;
  if (cell.status === 'error') {
    const text = `error: ${cell.error ?? 'unknown'}`;
    if (text.length <= ERROR_WIDTH) return text;
    notes.push(`${cell.backend} ${cell.model} ${cell.mode}: ${text}`);
    return `${text.slice(0, ERROR_WIDTH - 6)}… [${notes.length}]`;
  }
  const approx = cell.iters === 0 ? '~' : '';
  if (cell.mode === 'sgemm' || cell.mode === 'bmm') {
    const torch = cell.ratio === undefined ? '' : `; ${(cell.ratio * 100).toFixed(0)}% of PyTorch`;
    return `${cell.gflops?.toFixed(1)} GFLOP/s (${pctOfPeak(cell.gflops ?? Number.NaN, peak)}${torch})`;
  }
  const ratio = cell.ratio === undefined ? '' : ` (${fmtRatio(cell.ratio)})`;
  const leak = cell.leakedTensors ? ` LEAK +${cell.leakedTensors}` : '';
  return `${approx}${fmtSeconds(cell.seconds ?? Number.NaN)}${ratio}${leak}`;
}

function backendHeader(b: BackendStatus): string {
  if (b.name !== 'wasm') return b.name;
  return `wasm (${b.simd ? 'SIMD' : 'no SIMD'}, ${b.threads ?? '?'} thr)`;
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((x, c) => x.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function torchText(v: number | undefined, peak?: CpuPeak): string {
  if (v === undefined) return 'n/a';
  return peak ? `${v.toFixed(1)} GFLOP/s (${pctOfPeak(v, peak)})` : fmtSeconds(v);
}

function modelRows(report: EngineReport, backends: BackendStatus[], notes: string[]): string[][] {
  const rows: string[][] = [];
  const find = (b: string, m: string, mode: CellMode) =>
    report.cells.find((c) => c.backend === b && c.model === m && c.mode === mode);
  for (const m of report.models) {
    const modes = m.latencyBatch === undefined ? (['train', 'forward'] as const) : MODES;
    for (const mode of modes) {
      const batch = mode === 'train' ? m.trainBatch : mode === 'latency' ? m.latencyBatch : m.forwardBatch;
      const what = { train: 'train step', forward: 'forward', latency: 'inference latency' }[mode];
      const label = `${m.name} ${what} (b${batch})`;
      const torch = { train: m.torchTrain, forward: m.torchForward, latency: m.torchLatency }[mode];
      rows.push([
        label,
        torchText(torch),
        ...backends.map((b) => cellText(find(b.name, m.name, mode), notes, report.machine.peak)),
      ]);
    }
  }
  const sgemm = backends.map((b) => find(b.name, 'sgemm', 'sgemm'));
  if (sgemm.some(Boolean)) {
    rows.push([
      'sgemm 1024³',
      torchText(report.torch.sgemmGflops, report.machine.peak),
      ...sgemm.map((c) => cellText(c, notes, report.machine.peak)),
    ]);
  }
  for (const row of BMM_ROWS) {
    const cells = backends.map((b) => find(b.name, row, 'bmm'));
    if (!cells.some(Boolean)) continue;
    rows.push([
      bmmLabel(row),
      torchText(report.torch.bmmGflops?.[row], report.machine.peak),
      ...cells.map((c) => cellText(c, notes, report.machine.peak)),
    ]);
  }
  return rows;
}

const MODES = ['train', 'forward', 'latency'] as const;

/** Peak resident memory of each train cell next to PyTorch's, MB (the process's; base = before the workload). */
function memoryLines(report: EngineReport): string[] {
  const mb = (peak?: number, base?: number) =>
    peak === undefined ? '?' : `${peak.toFixed(0)} MB (base ${base?.toFixed(0) ?? '?'})`;
  const lines = report.cells
    .filter((c) => c.mode === 'train' && c.peakRssMB !== undefined)
    .map(
      (c) =>
        `${c.backend} ${c.model} train: ${mb(c.peakRssMB, c.baseRssMB)}; ` +
        `PyTorch ${mb(c.torchRssMB, c.torchBaseRssMB)}`,
    );
  return lines.length
    ? ['', 'peak resident memory per process (base: before the model and batch were made)', ...lines]
    : [];
}

function paramsLine(report: EngineReport): string {
  const parts = report.models.map((m) => {
    const ok = m.params === undefined ? '?' : m.params === m.torchParams ? '=' : '≠';
    return `${m.name} ${m.params?.toLocaleString('en-US') ?? '?'} ${ok} PyTorch ${m.torchParams.toLocaleString('en-US')}`;
  });
  return `parameters: ${parts.join('; ')}`;
}

/** Kernels per step and µs per kernel of each native cell, and the measured cost of one dispatch. */
function dispatchLines(report: EngineReport): string[] {
  const lines: string[] = [];
  for (const c of report.cells.filter((x) => x.mode === 'dispatch' && x.dispatch)) {
    const u = c.dispatch!.usPerCall;
    lines.push(
      `${c.backend} dispatch of a tiny Add ([1] + [1]): tf.add ${u.op.toFixed(1)} µs, runKernel ${u.runKernel.toFixed(1)} µs, ` +
        `kernel alone ${u.direct.toFixed(1)} µs → tfjs's engine adds ${c.dispatch!.engineUs.toFixed(1)} µs per kernel`,
    );
  }
  for (const c of report.cells.filter((x) => x.kernels && x.seconds !== undefined)) {
    const k = c.kernels!;
    const usPerKernel = (c.seconds! * 1e6) / k.all;
    const cost = report.cells.find((x) => x.backend === c.backend && x.dispatch)?.dispatch;
    const share = cost
      ? `; dispatch ≈ ${((100 * cost.usPerCall.op * k.all) / (c.seconds! * 1e6)).toFixed(1)}% of the step`
      : '';
    const fb = k.topFallbacks.map(
      (f) => `${f.name} ${f.perStep.toFixed(0)} (${Object.keys(f.reasons ?? {}).join(', ')})`,
    );
    lines.push(
      `${c.backend} ${c.model} ${c.mode}: ${k.all.toFixed(0)} kernels/step (${k.native.toFixed(0)} native, ` +
        `${k.fallback.toFixed(0)} fallback, ${k.cpu.toFixed(0)} cpu-only), ${usPerKernel.toFixed(0)} µs/kernel${share}` +
        (fb.length ? `; fallbacks: ${fb.join(', ')}` : ''),
    );
  }
  return lines.length ? ['', ...lines] : [];
}

/** A warning for every GFLOP/s figure above this machine's peak (a measurement bug, not a result). */
function peakWarnings(report: EngineReport): string[] {
  const peak = report.machine.peak;
  const figures: Array<[string, number | undefined]> = [
    ['PyTorch sgemm', report.torch.sgemmGflops],
    ...Object.entries(report.torch.bmmGflops ?? {}).map(([row, g]): [string, number | undefined] => [
      `PyTorch ${row}`,
      g,
    ]),
    ...report.cells
      .filter((c) => c.mode === 'sgemm' || c.mode === 'bmm')
      .map((c): [string, number | undefined] => [`${c.backend} sgemm`, c.gflops]),
  ];
  return figures.flatMap(([what, g]) => {
    const w = g === undefined ? undefined : abovePeakWarning(what, g, peak);
    return w ? [w] : [];
  });
}

export function renderTable(report: EngineReport): string {
  const loaded = report.backends.filter((b) => b.ok);
  const t = report.torch;
  const notes: string[] = [];
  const head = [
    '',
    t.available ? `PyTorch ${t.version ?? ''}`.trim() : 'PyTorch',
    ...loaded.map(backendHeader),
  ];
  const lines = [
    `dlpipe engine bench${report.quick ? ' (quick)' : ''}: ${report.machine.cpus} CPUs, Node ${report.machine.node}, ` +
      `tfjs ${report.tfjs ?? '?'}${t.available ? `, PyTorch ${t.version} with ${t.threads} threads` : ''}`,
    `load average ${report.machine.loadavg.map((x) => x.toFixed(1)).join(' ')} at the start; fp32 peak: ${report.machine.peak.description}`,
    'median seconds per step (ratio = time / PyTorch time); sgemm and BatchMatMul in GFLOP/s (% of peak; % of PyTorch)',
    '',
    pad([head, ...modelRows(report, loaded, notes)]),
    '',
    paramsLine(report),
    ...dispatchLines(report),
    ...memoryLines(report),
    ...peakWarnings(report),
  ];
  if (!t.available) lines.push(t.reason ?? 'PyTorch reference not available');
  for (const b of report.backends.filter((x) => !x.ok))
    lines.push(`backend ${b.name} not available: ${b.reason}`);
  if (report.cells.some((c) => c.iters === 0)) {
    lines.push('~ = one untimed warm-up run only: the budget had no room for a timed run');
  }
  notes.forEach((n, i) => {
    lines.push(`[${i + 1}] ${n}`);
  });
  lines.push(`total ${report.wallS.toFixed(0)} s`);
  return `${lines.join('\n')}\n`;
}
