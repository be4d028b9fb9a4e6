/**
 * Backend choice, once, at first use: `tensorflow` (tfjs-node, where it loads), then `native`,
 * `wasm`, `cpu`. `DLPIPE_BACKEND=<name>` forces one; a forced backend that cannot load is an error.
 *
 *   import { initBackend, describeBackend } from '@dlpipe/tensor';
 *   await initBackend();            // or initBackend({ backend: 'cpu' })
 *   console.log(await describeBackend());
 */
import { BACKEND_LOADERS, BACKEND_ORDER, type BackendName } from './backends/registry.js';
import { BackendError } from './errors.js';
import * as tf from './tf.js';

export { BACKEND_ORDER, type BackendName } from './backends/registry.js';

export interface InitBackendOptions {
  /** Force a backend by name (default: `DLPIPE_BACKEND`, else the best that loads). */
  backend?: string;
  /** Where the one-line notice about the choice goes (default: stderr; tests: nowhere). */
  notice?: (line: string) => void;
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

function defaultNotice(line: string): void {
  if (!process.env.DLPIPE_TEST && !process.env.DLPIPE_QUIET) process.stderr.write(`${line}\n`);
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
  const notice = options.notice ?? defaultNotice;
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
        const why = skipped.map((a) => `${a.name}: ${a.reason}`).join('; ');
        const best = skipped[0]!.name;
        notice(
          `dlpipe: using the '${name}' backend (${why}). For '${best}': ${BACKEND_LOADERS[best].howTo}.`,
        );
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

/** Chooses and activates the backend once; later calls return the same choice. */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendDescription> {
  if (!chosen) {
    chosen = choose(options);
    chosen.catch(() => {
      chosen = undefined;
    });
  }
  return chosen;
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
