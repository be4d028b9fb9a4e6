/**
 * Runs a command as a child process with a time budget: kills it when the budget is spent and
 * collects the `KIND {json}` lines it writes on stdout (see engine-worker.ts).
 *
 *   const r = await runChild(process.execPath, ['--import', 'tsx', 'bench/engine-worker.ts'], {
 *     cwd: repoRoot, budgetS: 30, onLine: (kind, data) => {},
 *   });
 *   if (r.timedOut) …; else if (r.result) …; else r.error
 */
import { spawn } from 'node:child_process';

/** Options of `runChild`. */
export interface RunChildOptions {
  /** Working directory of the child. */
  cwd: string;
  /** Seconds before the child is killed. */
  budgetS: number;
  /** Extra environment for the child (added to this process's). */
  env?: Record<string, string>;
  /** Called with each `KIND {json}` line as it arrives. */
  onLine?: (kind: string, data: unknown) => void;
}

export interface ChildOutcome {
  /** The payload of the last `RESULT` line, if any. */
  result?: unknown;
  /** The payloads of `INFO` lines, merged. */
  info: Record<string, unknown>;
  /** First line of the reason it failed (an `ERROR` line, else stderr, else the exit status). */
  error?: string;
  /** True when it was killed for passing its budget. */
  timedOut: boolean;
  /** Wall time, in seconds. */
  wallS: number;
  /** Everything it wrote on stdout that is not a `KIND {json}` line (e.g. a Python program's output). */
  stdout: string;
}

const LINE = /^([A-Z]+):? (\{.*\})$/;

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/** A `KIND {json}` line (also `KIND: {json}`), or undefined for any other line. */
function parseLine(line: string): { kind: string; data: unknown } | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  try {
    return { kind: m[1]!, data: JSON.parse(m[2]!) };
  } catch {
    return undefined;
  }
}

/** The most telling line of a crash's stderr: the first `Error:` line, else the first line. */
function stderrReason(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim());
  const err = lines.find((l) => /^(\w*Error|Error \[\w+\]|\w+Error \[\w+\]):/.test(l));
  return err ? firstLine(err) : stderr.trim() ? firstLine(stderr) : undefined;
}

export function runChild(command: string, args: string[], options: RunChildOptions): Promise<ChildOutcome> {
  const started = performance.now();
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: ChildOutcome = { info: {}, timedOut: false, wallS: 0, stdout: '' };
  let stderr = '';
  let pending = '';
  const onStdout = (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) handleLine(line);
  };
  const handleLine = (line: string) => {
    const parsed = parseLine(line);
    if (!parsed) {
      out.stdout += `${line}\n`;
      return;
    }
    const { kind, data } = parsed;
    if (kind === 'RESULT') out.result = data;
    else if (kind === 'INFO') Object.assign(out.info, data);
    else if (kind === 'ERROR') out.error = firstLine(String((data as { message?: unknown }).message));
    options.onLine?.(kind, data);
  };
  child.stdout.on('data', onStdout);
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => {
    out.timedOut = true;
    child.kill('SIGKILL');
  }, options.budgetS * 1000);
  let done = false;
  return new Promise((resolve) => {
    const finish = (code: number | null, signal: string | null, spawnError?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (pending) handleLine(pending);
      out.wallS = (performance.now() - started) / 1000;
      if (!out.timedOut && out.result === undefined && !out.error) {
        out.error =
          spawnError?.message ?? stderrReason(stderr) ?? `exited with ${signal ?? `status ${code}`}`;
      }
      resolve(out);
    };
    child.on('error', (err) => finish(null, null, err));
    child.on('close', (code, signal) => finish(code, signal));
  });
}
