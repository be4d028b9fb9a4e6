/** Runs with history on the SQLite store: new runs, resume after a stop, busy jobs, --fresh. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JobBusyError } from '../errors.js';
import { storePath } from '../export/export-run.js';
import { openSqliteStore, type SqliteStore } from '../storage/sqlite-store.js';
import { startTestSite, type TestSite } from '../testing/test-site.js';
import { checkDefinition } from './load-job.js';
import { runJob } from './run-job.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-runjob-'));
let site: TestSite;
let store: SqliteStore;
/** Aborted when the crawl asks for the second listing page. */
let stopAtPage2: AbortController | undefined;
before(async () => {
  site = await startTestSite({ delayMs: 60, onRequest: (p) => p === '/list?page=2' && stopAtPage2?.abort() });
  store = openSqliteStore(storePath(tmp));
});
after(async () => {
  await store.close();
  await site.close();
  rmSync(tmp, { recursive: true, force: true });
});

const job = (name: string, extra: object = {}) =>
  checkDefinition({
    name,
    startUrls: [`${site.url}/list?page=1`],
    pagination: { next: 'a[rel=next]' },
    delayMs: 0,
    maxConcurrencyPerHost: 4,
    extract: [{ match: '/list', items: '.item', fields: { name: 'h2' } }],
    ...extra,
  });

describe('runJob', () => {
  it('resumes a stopped run: same run, a second session, every record once', async () => {
    stopAtPage2 = new AbortController();
    const first = await runJob(job('resume'), {
      store,
      storageDir: tmp,
      trigger: 'test',
      signal: stopAtPage2.signal,
    });
    stopAtPage2 = undefined;
    assert.equal(first.run.status, 'interrupted');
    assert.match(first.run.error!, /run the job again to resume/);
    assert.equal(first.run.stats.pending > 0, true);
    const second = await runJob(job('resume'), { store, storageDir: tmp, trigger: 'test' });
    assert.equal(second.resumed, true);
    assert.equal(second.run.id, first.run.id);
    assert.deepEqual([second.run.status, second.run.sessions, second.run.stats.done], ['finished', 2, 12]);
    const names: unknown[] = [];
    for await (const r of store.dataset(second.run.id).records()) names.push(r.data.name);
    assert.deepEqual(names.sort(), Array.from({ length: 9 }, (_, i) => `Item ${i + 1}`).sort());
    const third = await runJob(job('resume'), { store, storageDir: tmp, trigger: 'test' });
    assert.equal(third.resumed, false, 'a finished run is not resumed');
    assert.notEqual(third.run.id, first.run.id);
  });

  it('refuses to run a job a live process runs; takes over a stale run; --fresh abandons it', async () => {
    const j = job('busy', {
      startUrls: [`${site.url}/item/1`],
      linkSelector: false,
      extract: { fields: { t: 'h1' } },
    });
    const held = await store.runs.create({ job: 'busy', trigger: 'test' });
    await store.runs.update(held.id, { pid: process.ppid, heartbeatAt: Date.now() });
    await assert.rejects(
      runJob(j, { store, storageDir: tmp }),
      (e: unknown) => e instanceof JobBusyError && e.message.includes(`kill -TERM ${process.ppid}`),
    );
    await store.runs.update(held.id, { heartbeatAt: Date.now() - 120_000 });
    const took = await runJob(j, { store, storageDir: tmp });
    assert.deepEqual([took.resumed, took.run.id, took.run.status], [true, held.id, 'finished']);
    const again = await store.runs.create({ job: 'busy', trigger: 'test' });
    await store.runs.update(again.id, { status: 'interrupted' });
    const fresh = await runJob(j, { store, storageDir: tmp, fresh: true });
    assert.equal(fresh.resumed, false);
    assert.equal((await store.runs.get(again.id))!.status, 'abandoned');
  });

  it('writes the image manifest at the end of a run', async () => {
    const j = job('pics', {
      startUrls: [`${site.url}/item/5`],
      linkSelector: false,
      images: true,
      extract: { fields: { t: 'h1' } },
    });
    const r = await runJob(j, { store, storageDir: tmp });
    assert.equal(r.manifest, join(tmp, 'pics', String(r.run.id), 'images', 'manifest.jsonl'));
    const rows = readFileSync(r.manifest!, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(Object.keys(rows[0]), [
      'file',
      'sha256',
      'src',
      'alt',
      'pageUrl',
      'width',
      'height',
      'bytes',
      'contentType',
    ]);
    assert.equal(rows[0].alt, 'Photo of item 5');
  });
});
