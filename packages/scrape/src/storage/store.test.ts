/** The storage contract, run against both stores (memory and SQLite), plus SQLite's persistence. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MemoryStore } from './memory-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { ImageRecord, ScrapeStore } from './types.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-store-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
const image = (index: number): ImageRecord => ({
  index,
  file: `h${index}.png`,
  sha256: `h${index}`,
  src: `http://a.io/${index}.png`,
  alt: `alt ${index}`,
  pageUrl: 'http://a.io/',
  width: 8,
  height: undefined,
  bytes: 10,
  contentType: 'image/png',
});

const STORES: Record<string, () => ScrapeStore> = {
  memory: () => new MemoryStore(),
  sqlite: () => openSqliteStore(join(tmp, `contract-${Math.random()}.sqlite`)),
};

for (const [name, make] of Object.entries(STORES)) {
  describe(`${name} store`, () => {
    it('de-duplicates by unique key and claims in priority, then insertion order', async () => {
      const store = make();
      const run = await store.runs.create({ job: 'j', trigger: 'test' });
      const q = store.queue(run.id);
      assert.equal(
        await q.add([
          { url: 'http://a.io/1', depth: 0 },
          { url: 'http://a.io/2', depth: 1 },
          { url: 'http://a.io/1', depth: 0 },
        ]),
        2,
      );
      assert.equal(
        await q.add([
          { url: 'http://a.io/2', depth: 0 },
          { url: 'http://b.io/3', depth: 1, priority: 1 },
        ]),
        1,
      );
      const seen: string[] = [];
      const claimed = await q.claim({
        limit: 2,
        now: Date.now(),
        accept: (r) => {
          seen.push(r.url);
          return r.host !== 'a.io' || seen.length < 3;
        },
      });
      assert.deepEqual(
        claimed.map((r) => r.url),
        ['http://b.io/3', 'http://a.io/1'],
      );
      assert.deepEqual(seen, ['http://b.io/3', 'http://a.io/1']);
      assert.deepEqual(await q.counts(), { pending: 1, in_progress: 2, done: 0, failed: 0, skipped: 0 });
      assert.equal(claimed[1]!.host, 'a.io');
      await store.close();
    });

    it('commits a page atomically and only once: records, images, links, done', async () => {
      const store = make();
      const run = await store.runs.create({ job: 'j', trigger: 'test' });
      const q = store.queue(run.id);
      const ds = store.dataset(run.id);
      await q.add([{ url: 'http://a.io/', depth: 0 }]);
      const [r] = await q.claim({ limit: 1, now: Date.now(), accept: () => true });
      const commit = {
        records: [{ a: 1 }, { a: 2, list: [1, 'x'] }],
        images: [image(0), image(2)],
        links: [{ url: 'http://a.io/next', depth: 1 }],
        httpStatus: 200,
        loadedUrl: 'http://a.io/home',
      };
      assert.equal(await q.complete(r!.id, commit), true);
      assert.equal(await q.complete(r!.id, commit), false, 'a second commit of the same page is refused');
      assert.deepEqual(
        (await all(ds.records())).map((x) => [x.requestId, x.index, x.data]),
        [
          [r!.id, 0, { a: 1 }],
          [r!.id, 1, { a: 2, list: [1, 'x'] }],
        ],
      );
      assert.equal(await ds.count(), 2);
      assert.equal(await ds.imageCount(), 2);
      assert.deepEqual((await all(ds.images()))[1], { ...image(2), requestId: r!.id });
      const done = await q.list('done', 10);
      assert.equal(done[0]!.loadedUrl, 'http://a.io/home');
      const [next] = await q.list('pending', 10);
      assert.equal(next!.parentId, r!.id);
      await store.close();
    });

    it('retry waits for notBefore and counts attempts; fail, skip and release', async () => {
      const store = make();
      const run = await store.runs.create({ job: 'j', trigger: 'test' });
      const q = store.queue(run.id);
      await q.add(['1', '2', '3', '4'].map((p) => ({ url: `http://a.io/${p}`, depth: 0 })));
      const [a, b, c, d] = await q.claim({ limit: 4, now: 0, accept: () => true });
      await q.retry(a!.id, 'HTTP 503', 5000, 503);
      await q.fail(b!.id, 'HTTP 404', 404);
      await q.skip(c!.id, 'robots.txt');
      assert.equal(await q.nextNotBefore(), 5000);
      assert.deepEqual(await q.claim({ limit: 9, now: 4999, accept: () => true }), []);
      const [again] = await q.claim({ limit: 9, now: 5000, accept: () => true });
      assert.equal(again!.attempts, 1);
      assert.equal(again!.lastError, 'HTTP 503');
      assert.equal(await q.release(), 2, 'd and the retried a go back to pending');
      assert.deepEqual(await q.counts(), { pending: 2, in_progress: 0, done: 0, failed: 1, skipped: 1 });
      const [failed] = await q.list('failed', 5);
      assert.deepEqual([failed!.url, failed!.httpStatus, failed!.attempts], [b!.url, 404, 1]);
      assert.equal(
        (await q.list('pending', 5)).some((r) => r.id === d!.id),
        true,
      );
      await store.close();
    });

    it('keeps queues of runs apart and keeps run history', async () => {
      const store = make();
      const r1 = await store.runs.create({ job: 'j', trigger: 'cli', configHash: 'abc' });
      const r2 = await store.runs.create({ job: 'k', trigger: 'schedule' });
      await store.queue(r1.id).add([{ url: 'http://a.io/', depth: 0 }]);
      assert.equal(await store.queue(r2.id).add([{ url: 'http://a.io/', depth: 0 }]), 1);
      await store.runs.update(r1.id, { status: 'finished', finishedAt: 5, stats: { ...r1.stats, done: 3 } });
      const got = await store.runs.get(r1.id);
      assert.deepEqual(
        [got!.status, got!.finishedAt, got!.stats.done, got!.configHash, got!.trigger],
        ['finished', 5, 3, 'abc', 'cli'],
      );
      assert.equal((await store.runs.latest('k'))!.id, r2.id);
      assert.deepEqual(
        (await store.runs.list()).map((r) => r.id),
        [r2.id, r1.id],
      );
      assert.deepEqual(
        (await store.runs.list({ job: 'j' })).map((r) => r.id),
        [r1.id],
      );
      assert.equal(await store.runs.schedulerSeen('j'), undefined);
      await store.runs.setSchedulerSeen('j', 7);
      await store.runs.setSchedulerSeen('j', 9);
      assert.equal(await store.runs.schedulerSeen('j'), 9);
      await store.close();
    });
  });
}

describe('sqlite store file', () => {
  it('survives a reopen and serves a second connection (WAL)', async () => {
    const path = join(tmp, 'persist.sqlite');
    const a = openSqliteStore(path);
    const run = await a.runs.create({ job: 'j', trigger: 't' });
    await a
      .queue(run.id)
      .add(Array.from({ length: 1500 }, (_, i) => ({ url: `http://a.io/${i}`, depth: 0 })));
    const claimed = await a.queue(run.id).claim({ limit: 1, now: Date.now(), accept: () => true });
    await a.queue(run.id).complete(claimed[0]!.id, {
      records: Array.from({ length: 1200 }, (_, i) => ({ i })),
      images: [],
      links: [],
    });
    const b = openSqliteStore(path);
    assert.equal(await b.dataset(run.id).count(), 1200);
    assert.equal(a.db.pragma('journal_mode', { simple: true }), 'wal');
    await a.close();
    const rows = await all(b.dataset(run.id).records());
    assert.deepEqual(
      rows.map((r) => r.data.i),
      Array.from({ length: 1200 }, (_, i) => i),
      'paged reads keep order',
    );
    assert.equal((await b.queue(run.id).counts()).pending, 1499);
    await b.close();
  });
});
