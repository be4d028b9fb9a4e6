/**
 * Downloads of canonical dataset files with SHA-256 checks, a cache directory and atomic writes
 * (core's withAtomicFile: a hidden temporary file renamed into place only once its checksum matches). Nothing in dlpipe downloads
 * by itself: `pnpm data download fashion-mnist` or `downloadDataset()` are explicit.
 *
 *   const dir = await downloadDataset('fashion-mnist');   // ~/.cache/dlpipe/datasets/fashion-mnist
 *   const ds = loadMnistFormat(dir);
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ensureDir, OptionsError, ProgressBar, withAtomicFile } from '@dlpipe/core';
import { DownloadError } from '../errors.js';

export interface RemoteFile {
  name: string;
  url: string;
  sha256: string;
}

const MNIST_URL = 'https://storage.googleapis.com/cvdf-datasets/mnist';
const FASHION_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com';

/** MNIST as TensorFlow Datasets fetches it (Google's mirror of LeCun's files); SHA-256 as TFDS records. */
export const MNIST_FILES: RemoteFile[] = [
  ['train-images-idx3-ubyte.gz', '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609'],
  ['train-labels-idx1-ubyte.gz', '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c'],
  ['t10k-images-idx3-ubyte.gz', '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6'],
  ['t10k-labels-idx1-ubyte.gz', 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6'],
].map(([name, sha256]) => ({ name: name!, url: `${MNIST_URL}/${name}`, sha256: sha256! }));

/** Fashion-MNIST from Zalando's S3 bucket; SHA-256 of the published files. */
export const FASHION_MNIST_FILES: RemoteFile[] = [
  ['train-images-idx3-ubyte.gz', '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84'],
  ['train-labels-idx1-ubyte.gz', 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845'],
  ['t10k-images-idx3-ubyte.gz', '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073'],
  ['t10k-labels-idx1-ubyte.gz', '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5'],
].map(([name, sha256]) => ({ name: name!, url: `${FASHION_URL}/${name}`, sha256: sha256! }));

export const DATASET_FILES: Record<'mnist' | 'fashion-mnist', RemoteFile[]> = {
  mnist: MNIST_FILES,
  'fashion-mnist': FASHION_MNIST_FILES,
};

export interface DownloadOptions {
  /** Default $DLPIPE_CACHE, else $XDG_CACHE_HOME/dlpipe, else ~/.cache/dlpipe. */
  cacheDir?: string;
  /** Replaces the files' base URL (a mirror, or a local server in tests). */
  baseUrl?: string;
  /** Attempts per file on network errors and 5xx. Default 3. */
  attempts?: number;
  /** Per-file timeout. Default 120 s. */
  timeoutMs?: number;
  /** Progress bar on stderr. Default true (off when DLPIPE_TEST is set). */
  progress?: boolean;
}

export function defaultCacheDir(): string {
  return process.env.DLPIPE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dlpipe');
}

/** SHA-256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}

async function fetchOnce(url: string, part: string, o: DownloadOptions): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(o.timeoutMs ?? 120_000) });
  } catch (err) {
    const why = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
    throw new DownloadError(
      url,
      `cannot connect (${why}); check the network, or copy the file into the cache by hand`,
      {
        cause: err,
      },
    );
  }
  if (!res.ok || !res.body) {
    throw new DownloadError(
      url,
      `HTTP ${res.status} ${res.statusText}; the file may have moved: pass baseUrl (--mirror) to use a mirror`,
    );
  }
  const total = Number(res.headers.get('content-length')) || undefined;
  const bar = new ProgressBar({
    total,
    label: url.split('/').pop(),
    unit: 'B',
    silent: o.progress === false || !!process.env.DLPIPE_TEST,
  });
  const hash = createHash('sha256');
  let got = 0;
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (d: Buffer) => {
    hash.update(d);
    got += d.length;
    bar.update(d.length);
  });
  try {
    await pipeline(body, createWriteStream(part));
  } catch (err) {
    throw new DownloadError(url, `the transfer broke after ${got} bytes: ${(err as Error).message}`, {
      cause: err,
    });
  }
  bar.done();
  if (total !== undefined && got !== total) {
    throw new DownloadError(url, `received ${got} of ${total} bytes (the connection closed early)`);
  }
  return hash.digest('hex');
}

/** Downloads one file to `dest` unless a copy with the right checksum is there. */
export async function downloadFile(
  file: RemoteFile,
  dest: string,
  o: DownloadOptions = {},
): Promise<{ path: string; downloaded: boolean }> {
  if (existsSync(dest) && (await sha256File(dest)) === file.sha256) return { path: dest, downloaded: false };
  const url = o.baseUrl ? `${o.baseUrl.replace(/\/$/, '')}/${file.name}` : file.url;
  const attempts = o.attempts ?? 3;
  for (let a = 1; ; a++) {
    try {
      await withAtomicFile(dest, async (part) => {
        const sha = await fetchOnce(url, part, o);
        if (sha !== file.sha256) {
          throw new DownloadError(
            url,
            `SHA-256 is ${sha} but ${file.name} must have ${file.sha256}; the partial file was removed. ` +
              'The server sent another file (a captive portal, a changed mirror?): try another baseUrl',
          );
        }
      });
      return { path: dest, downloaded: true };
    } catch (err) {
      const retry =
        err instanceof DownloadError && /cannot connect|HTTP 5\d\d|broke|closed early/.test(err.message);
      if (!retry || a >= attempts) throw err;
    }
  }
}

/** Downloads a dataset's files into `<cacheDir>/datasets/<name>` and returns that directory. */
export async function downloadDataset(
  name: 'mnist' | 'fashion-mnist',
  o: DownloadOptions = {},
): Promise<string> {
  const files = DATASET_FILES[name];
  if (!files)
    throw new OptionsError(`unknown dataset '${name}'; known: ${Object.keys(DATASET_FILES).join(', ')}`);
  const dir = join(o.cacheDir ?? defaultCacheDir(), 'datasets', name);
  ensureDir(dir, 'dataset folder');
  for (const f of files) await downloadFile(f, join(dir, f.name), o);
  return dir;
}
