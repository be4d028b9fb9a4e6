/**
 * dlpipe-scrape against the worst: a storage folder that cannot be made (/proc/x: exit 2 at once,
 * not an endless mkdir), an export into a missing folder (refused before writing), and kill -9 at
 * a random moment of `run` on the demo site, then `run` again: the dataset, the image manifest
 * and the image files equal an uninterrupted run's.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type LocalSite, openSqliteStore, runDirOf, serveLocalSite, storePath } from '@dlpipe/scrape';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'apps/scrape/bin/dlpipe-scrape.mjs');
const job = 'data/scrape/jobs/demo-shop.yaml';
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-scrape-kill-'));
const childTmp = join(tmp, 'tmp'); // a killed child leaves its browser profile behind: keep it here
let site: LocalSite;

before(async () => {
  mkdirSync(childTmp);
  // served by the test, so every run (killed, resumed, reference) crawls the same URLs
  site = await serveLocalSite({ root: join(root, 'data/scrape/site') });
});
after(async () => {
  await site?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs the CLI to its end (SIGKILL after 60 s: a busy loop never sees SIGTERM). */
function scrape(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, out: r.stdout, err: r.stderr, signal: r.signal };
}

/** `run` of the demo job into `storage`; killed with SIGKILL `killAfterMs` after the run starts. */
function run(storage: string, killAfterMs?: number) {
  const child = spawn(process.execPath, [bin, 'run', job, '--storage', storage], {
    cwd: root,
    env: { ...process.env, SITE_URL: site.url, TMPDIR: childTmp },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  let timer: NodeJS.Timeout | undefined;
  child.stderr.on('data', (d) => {
    err += d;
    if (killAfterMs !== undefined && !timer && /(starting|resuming) run/.test(err))
      timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  });
  return new Promise<{ code: number | null; signal: string | null; err: string }>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, err });
    }),
  );
}

const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();

/** The newest run: its queue counts, records, image rows, and image files checked against their names. */
async function resultOf(storage: string) {
  const store = openSqliteStore(storePath(storage));
  try {
    const run = (await store.runs.latest('demo-shop'))!;
    const records: unknown[] = [];
    for await (const r of store.dataset(run.id).records()) records.push(r.data);
    const images: unknown[] = [];
    for await (const { requestId: _r, ...img } of store.dataset(run.id).images()) images.push(img);
    const dir = join(runDirOf(storage, 'demo-shop', run.id), 'images');
    const files = readdirSync(dir).filter((f) => !f.startsWith('.') && !f.startsWith('manifest'));
    for (const f of files) {
      const sha = createHash('sha256')
        .update(readFileSync(join(dir, f)))
        .digest('hex');
      assert.equal(f.split('.')[0], sha, `${f} is whole`);
    }
    return {
      status: run.status,
      counts: await store.queue(run.id).counts(),
      records: sorted(records),
      images: sorted(images),
      files: files.sort(),
    };
  } finally {
    await store.close();
  }
}

describe('dlpipe-scrape, hardened', () => {
  it('a storage folder that cannot be made is one line naming it, exit 2, not an endless mkdir', () => {
    const r = scrape('run', job, '--storage', '/proc/x/store');
    assert.equal(r.signal, null, 'run hung');
    assert.equal(r.code, 2, r.err);
    assert.match(
      r.err,
      /^dlpipe-scrape run: \/proc\/x\/store: cannot create \/proc\/x \(\w+\) \(the scrape storage folder\) \(pnpm scrape run --help\)\n$/,
    );
    // a reading command does not create the store: a missing one is named
    const s = scrape('status', '--storage', '/proc/x/store');
    assert.equal(s.code, 2, s.err);
    assert.match(s.err, /^dlpipe-scrape status: \/proc\/x\/store\/scrape\.sqlite: no scrape store here/);
  });

  it('kill -9 at a random moment of run, then run again: the same records, images and files as an uninterrupted run', {
    timeout: 120_000,
  }, async (t) => {
    const ref = join(tmp, 'ref');
    const killed = join(tmp, 'killed');
    const delay = Math.round(Math.random() * 4000);
    // the reference and the run to kill go at once (same site, separate stores) to save time
    const [whole, first] = await Promise.all([run(ref), run(killed, delay)]);
    assert.equal(whole.code, 0, whole.err);
    t.diagnostic(`killed ${delay} ms after the start: ${first.signal ?? `exit ${first.code}`}`);
    const again = await run(killed);
    assert.equal(again.code, 0, again.err);
    const expected = await resultOf(ref);
    assert.equal(expected.records.length, 15);
    assert.equal(expected.files.length, 12);
    assert.deepEqual(await resultOf(killed), expected, `kill after ${delay} ms`);

    // export: a missing --out folder is refused before anything is written
    const store = join(tmp, 'ref');
    const bad = scrape(
      'export',
      '1',
      '--format',
      'csv',
      '--out',
      join(tmp, 'nope', 'x.csv'),
      '--storage',
      store,
    );
    assert.equal(bad.code, 2, bad.err);
    assert.match(
      bad.err,
      /nope\/x\.csv: its folder .*nope does not exist; create it first \(the export file\)/,
    );
    assert.equal(existsSync(join(tmp, 'nope')), false);
  });
});
