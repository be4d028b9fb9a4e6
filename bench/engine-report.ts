/**
 * What `pnpm bench engine` measured, as one JSON-ready object, and its rendering as a table:
 * rows = model × (train step / forward) plus sgemm, columns = PyTorch, then each backend with its
 * ratio to PyTorch.
 *
 *   process.stdout.write(renderTable(report));
 */
import type { TorchResult } from './lib/torch-reference.js';

export type CellMode = 'train' | 'forward' | 'sgemm';
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
  /** Live tensors gained over the timed steps (0 = no leak). */
  leakedTensors?: number;
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
  /** PyTorch's seconds per train step and per forward, where the reference ran. */
  torchTrain?: number;
  torchForward?: number;
}

export interface EngineReport {
  bench: 'engine';
  quick: boolean;
  machine: { cpus: number; node: string; platform: string };
  tfjs?: string;
  torch: {
    available: boolean;
    reason?: string;
    version?: string;
    threads?: number;
    sgemmGflops?: number;
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
function cellText(cell: Cell | undefined, notes: string[]): string {
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
  if (cell.mode === 'sgemm') {
    const pct = cell.ratio === undefined ? '' : ` (${(cell.ratio * 100).toFixed(1)}%)`;
    return `${cell.gflops?.toFixed(1)} GFLOP/s${pct}`;
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

function torchText(v: number | undefined, sgemm = false): string {
  if (v === undefined) return 'n/a';
  return sgemm ? `${v.toFixed(1)} GFLOP/s` : fmtSeconds(v);
}

function modelRows(report: EngineReport, backends: BackendStatus[], notes: string[]): string[][] {
  const rows: string[][] = [];
  const find = (b: string, m: string, mode: CellMode) =>
    report.cells.find((c) => c.backend === b && c.model === m && c.mode === mode);
  for (const m of report.models) {
    for (const mode of ['train', 'forward'] as const) {
      const batch = mode === 'train' ? m.trainBatch : m.forwardBatch;
      const label = `${m.name} ${mode === 'train' ? 'train step' : 'forward'} (b${batch})`;
      const torch = mode === 'train' ? m.torchTrain : m.torchForward;
      rows.push([
        label,
        torchText(torch),
        ...backends.map((b) => cellText(find(b.name, m.name, mode), notes)),
      ]);
    }
  }
  const sgemm = backends.map((b) => find(b.name, 'sgemm', 'sgemm'));
  if (sgemm.some(Boolean)) {
    rows.push([
      'sgemm 1024³',
      torchText(report.torch.sgemmGflops, true),
      ...sgemm.map((c) => cellText(c, notes)),
    ]);
  }
  return rows;
}

function paramsLine(report: EngineReport): string {
  const parts = report.models.map((m) => {
    const ok = m.params === undefined ? '?' : m.params === m.torchParams ? '=' : '≠';
    return `${m.name} ${m.params?.toLocaleString('en-US') ?? '?'} ${ok} PyTorch ${m.torchParams.toLocaleString('en-US')}`;
  });
  return `parameters: ${parts.join('; ')}`;
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
    'median seconds per step (ratio = time / PyTorch time); sgemm in GFLOP/s (% of PyTorch)',
    '',
    pad([head, ...modelRows(report, loaded, notes)]),
    '',
    paramsLine(report),
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
