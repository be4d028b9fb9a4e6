import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DownloadError } from '../errors.js';
import { loadMnistFormat } from '../mnist.js';
import { DATASET_FILES, downloadDataset, downloadFile, type RemoteFile } from './download.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-dl-'));

/** An IDX ubyte file (magic 0x0803 / 0x0801). */
function idx(dims: number[], fill: (i: number) => number): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt8(0x08, 2);
  head.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => {
    head.writeUInt32BE(d, 4 + 4 * i);
  });
  const n = dims.reduce((a, b) => a * b, 1);
  return Buffer.concat([head, Buffer.from(Array.from({ length: n }, (_, i) => fill(i)))]);
}

const files: Record<string, Buffer> = {
  'train-images-idx3-ubyte.gz': gzipSync(idx([3, 2, 2], (i) => i)),
  'train-labels-idx1-ubyte.gz': gzipSync(idx([3], (i) => i)),
  't10k-images-idx3-ubyte.gz': gzipSync(idx([2, 2, 2], (i) => 255 - i)),
  't10k-labels-idx1-ubyte.gz': gzipSync(idx([2], (i) => 9 - i)),
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const remote: RemoteFile[] = Object.entries(files).map(([name, b]) => ({
  name,
  url: `unused/${name}`,
  sha256: sha(b),
}));
const hits: string[] = [];
let server: Server;
let base = '';

before(async () => {
  server = createServer((req, res) => {
    const name = (req.url ?? '').split('/').pop()!;
    hits.push(name);
    if (req.url?.startsWith('/wrong/')) return res.end('<html>captive portal</html>');
    if (req.url?.startsWith('/cut/')) {
      res.writeHead(200, { 'content-length': 1000 });
      res.write(Buffer.alloc(10));
      return res.destroy();
    }
    const body = files[name];
    if (!body) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('canonical downloads (offline, a local server on 127.0.0.1)', () => {
  it('lists the canonical URLs with SHA-256 checksums', () => {
    assert.equal(DATASET_FILES.mnist.length, 4);
    assert.match(
      DATASET_FILES['fashion-mnist'][0]!.url,
      /^http:\/\/fashion-mnist\.s3-website\.eu-central-1\.amazonaws\.com\//,
    );
    for (const f of [...DATASET_FILES.mnist, ...DATASET_FILES['fashion-mnist']])
      assert.match(f.sha256, /^[0-9a-f]{64}$/);
  });

  it('downloads, verifies, writes atomically, then uses the cache without a request', async () => {
    const dest = join(tmp, 'one.gz');
    const r = await downloadFile(remote[1]!, dest, { baseUrl: base, progress: false });
    assert.equal(r.downloaded, true);
    assert.deepEqual(readFileSync(dest), files['train-labels-idx1-ubyte.gz']);
    const before = hits.length;
    assert.equal(
      (await downloadFile(remote[1]!, dest, { baseUrl: base, progress: false })).downloaded,
      false,
    );
    assert.equal(hits.length, before);
  });

  it('a checksum mismatch removes the partial file and names both hashes', async () => {
    const dest = join(tmp, 'bad.gz');
    await assert.rejects(
      downloadFile(remote[1]!, dest, { baseUrl: `${base}/wrong`, progress: false }),
      (e: Error) => {
        assert.ok(e instanceof DownloadError);
        assert.match(
          e.message,
          /\/wrong\/train-labels-idx1-ubyte\.gz: SHA-256 is [0-9a-f]{64} but train-labels-idx1-ubyte\.gz must have/,
        );
        return true;
      },
    );
    assert.equal(existsSync(dest), false);
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.includes('.part') || f.includes('.tmp-')),
      [],
    );
  });

  it('HTTP 404, a cut connection (retried) and a refused connection are DownloadErrors', async () => {
    const missing = { name: 'nope.gz', url: '', sha256: '0'.repeat(64) };
    await assert.rejects(
      downloadFile(missing, join(tmp, 'n'), { baseUrl: base, progress: false }),
      /nope\.gz: HTTP 404/,
    );
    const before = hits.length;
    await assert.rejects(
      downloadFile(remote[0]!, join(tmp, 'c'), { baseUrl: `${base}/cut`, progress: false, attempts: 2 }),
      DownloadError,
    );
    assert.equal(hits.length - before, 2, 'retried once');
    await assert.rejects(
      downloadFile(remote[0]!, join(tmp, 'r'), {
        baseUrl: 'http://127.0.0.1:1',
        progress: false,
        attempts: 1,
      }),
      /cannot connect/,
    );
  });

  it('a downloaded dataset directory loads with loadMnistFormat', async () => {
    const saved = DATASET_FILES.mnist;
    DATASET_FILES.mnist = remote;
    try {
      const dir = await downloadDataset('mnist', { cacheDir: tmp, baseUrl: base, progress: false });
      const ds = loadMnistFormat(dir);
      assert.equal(ds.train.n, 3);
      assert.deepEqual(Array.from(ds.test.labels), [9, 8]);
    } finally {
      DATASET_FILES.mnist = saved;
    }
  });
});
