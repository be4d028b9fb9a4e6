/**
 * Backend choice, once, at first use: `tensorflow` (tfjs-node, where it loads), then `native`,
 * `wasm`, `cpu`. `DLPIPE_BACKEND=<name>` forces one; a forced backend that cannot load is an error.
 * When a better backend was skipped, one short line on stderr says so, once per install and
 * backend (remembered under ~/.cache/dlpipe/notices/); `DLPIPE_VERBOSE=1` gives the reason and
 * the fix every time, `DLPIPE_QUIET=1` nothing. `deterministic: true` runs the native kernels on
 * one thread, so that reductions add in the same order on every run (bit-identical losses).
 *
 *   import { initBackend, describeBackend } from '@dlpipe/tensor';
 *   await initBackend();            // or initBackend({ backend: 'cpu' }), initBackend({ deterministic: true })
 *   console.log(await describeBackend());
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKEND_LOADERS, BACKEND_ORDER, type BackendName } from './backends/registry.js';
import { BackendError } from './errors.js';
import * as tf from './tf.js';

export { BACKEND_ORDER, type BackendName } from './backends/registry.js';

export interface InitBackendOptions {
  /** Force a backend by name (default: `DLPIPE_BACKEND`, else the best that loads). */
  backend?: string;
  /**
   * Where the notice about a skipped better backend goes, in full (reason and fix). Default: a
   * short line on stderr once per install (every time in full with DLPIPE_VERBOSE=1; never with
   * DLPIPE_QUIET=1 or under tests).
   */
  notice?: (line: string) => void;
  /** One thread for the native kernels (DLPIPE_THREADS=1), so runs repeat bit for bit. Default false. */
  deterministic?: boolean;
}

/** Why each backend better than the chosen one was skipped. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason?: string;
}

export interface BackendDescription {
  name: BackendName;
  version: string;
  threads: number;
  simd: boolean;
  forced: boolean;
  attempts: BackendAttempt[];
}

let chosen: Promise<BackendDescription> | undefined;

function isBackendName(name: string): name is BackendName {
  return (BACKEND_ORDER as readonly string[]).includes(name);
}

/** The folder of dlpipe's small remembered facts: $XDG_CACHE_HOME/dlpipe, else ~/.cache/dlpipe. */
export function dlpipeCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dlpipe');
}

/** This install (the engine's folder): a notice shown for one checkout is shown again for another. */
const INSTALL = fileURLToPath(new URL('..', import.meta.url));

/**
 * True the first time `key` is asked about on this install, false after (a marker file under
 * `dir`); true as well when the marker cannot be written (a notice too many beats none).
 */
export function firstTimeOnInstall(key: string, dir = join(dlpipeCacheDir(), 'notices')): boolean {
  const id = createHash('sha256').update(`${INSTALL}\n${key}`).digest('hex').slice(0, 20);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, id), `${key}\n`, { flag: 'wx' });
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'EEXIST';
  }
}

/** The full notice: the backend used, why each better one was skipped, how to get the best. */
export function backendNotice(name: BackendName, skipped: readonly BackendAttempt[]): string {
  const why = skipped.map((a) => `${a.name}: ${a.reason}`).join('; ');
  const best = skipped[0]!.name;
  return `dlpipe: using the '${name}' backend (${why}). For '${best}': ${BACKEND_LOADERS[best].howTo}.`;
}

/** The short notice, one terminal line: which backend, which were skipped, where to read more. */
export function shortBackendNotice(name: BackendName, skipped: readonly BackendAttempt[]): string {
  const names = skipped.map((a) => `'${a.name}'`).join(', ');
  return `dlpipe: using the '${name}' backend (${names} did not load; DLPIPE_VERBOSE=1 says why). Shown once.`;
}

/** Says on stderr that better backends were skipped: see the file header for when. */
function announce(name: BackendName, skipped: readonly BackendAttempt[]): void {
  if (process.env.DLPIPE_TEST || process.env.DLPIPE_QUIET) return;
  if (process.env.DLPIPE_VERBOSE) {
    process.stderr.write(`${backendNotice(name, skipped)}\n`);
    return;
  }
  const key = `backend ${name}; ${skipped.map((a) => `${a.name}: ${a.reason}`).join('; ')}`;
  if (firstTimeOnInstall(key)) process.stderr.write(`${shortBackendNotice(name, skipped)}\n`);
}

async function activate(name: BackendName): Promise<void> {
  await BACKEND_LOADERS[name].load();
  const ok = await tf.setBackend(name);
  if (!ok)
    throw new BackendError(
      `tfjs could not initialize the '${name}' backend; pick another with --backend or leave the choice to dlpipe`,
    );
  await tf.ready();
}

async function describe(name: BackendName, forced: boolean, attempts: BackendAttempt[]) {
  const facts = await BACKEND_LOADERS[name].facts();
  return { name, forced, attempts, ...facts };
}

async function choose(options: InitBackendOptions): Promise<BackendDescription> {
  const requested = options.backend ?? process.env.DLPIPE_BACKEND;
  if (requested) {
    if (!isBackendName(requested)) {
      throw new BackendError(
        `unknown backend '${requested}' (from ${options.backend ? 'options.backend' : 'DLPIPE_BACKEND'}); ` +
          `expected one of ${BACKEND_ORDER.join(', ')}`,
      );
    }
    try {
      await activate(requested);
    } catch (err) {
      throw new BackendError(
        `backend '${requested}' was forced but cannot load: ${firstLine((err as Error).message)} ` +
          `To get it: ${BACKEND_LOADERS[requested].howTo}; or unset DLPIPE_BACKEND to use the best available.`,
        { cause: err },
      );
    }
    return describe(requested, true, [{ name: requested, ok: true }]);
  }
  const attempts: BackendAttempt[] = [];
  for (const name of BACKEND_ORDER) {
    try {
      await activate(name);
      attempts.push({ name, ok: true });
      const skipped = attempts.filter((a) => !a.ok);
      if (skipped.length > 0 && name !== 'tensorflow') {
        if (options.notice) options.notice(backendNotice(name, skipped));
        else announce(name, skipped);
      }
      return describe(name, false, attempts);
    } catch (err) {
      attempts.push({ name, ok: false, reason: firstLine((err as Error).message) });
    }
  }
  throw new BackendError(
    `no backend could load: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`,
  );
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * Chooses and activates the backend once; later calls return the same choice (a later
 * `deterministic: true` still takes the native kernels down to one thread).
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendDescription> {
  if (options.deterministic) process.env.DLPIPE_THREADS = '1'; // read when the native addon loads
  if (!chosen) {
    chosen = choose(options);
    chosen.catch(() => {
      chosen = undefined;
    });
  }
  if (options.deterministic) chosen = chosen.then(oneThread);
  return chosen;
}

/** Puts an already loaded native addon on one thread too; other backends run on one already (or are not covered). */
async function oneThread(d: BackendDescription): Promise<BackendDescription> {
  if (d.name !== 'native' || d.threads === 1) return d;
  const { loadNativeAddon } = await import('./backends/native/addon.js');
  return { ...d, threads: loadNativeAddon().setThreads(1) };
}

/** Switches to another backend for the rest of the process (tests compare backends this way). */
export async function useBackend(name: BackendName): Promise<BackendDescription> {
  chosen = (async () => {
    await activate(name);
    return describe(name, true, [{ name, ok: true }]);
  })();
  return chosen;
}

/** Name, version, threads and SIMD of the active backend (choosing it first if needed). */
export async function describeBackend(): Promise<BackendDescription> {
  return initBackend();
}

/** One line for `--verbose` / `info`. */
export function formatBackend(d: BackendDescription): string {
  const skipped = d.attempts.filter((a) => !a.ok).map((a) => `${a.name} skipped: ${a.reason}`);
  return (
    `backend ${d.name} (tfjs ${tf.version_core}, ${d.version}), threads ${d.threads || 'auto'}, ` +
    `SIMD ${d.simd ? 'on' : 'off'}${d.forced ? ', forced' : ''}` +
    (skipped.length ? `\n  ${skipped.join('\n  ')}` : '')
  );
}
