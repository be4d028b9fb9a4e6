/**
 * Kill -9 in the middle of a crawl, start it again: `dlpipe-scrape run` resumes from the queue,
 * no page is lost and no record is stored twice. A real SIGKILL of a child process; the site is
 * served by this test on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { openSqliteStore, storePath } from '@dlpipe/scrape';
import { startTestSite, type TestSite } from '@dlpipe/scrape/testing';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'apps/scrape/bin/dlpipe-scrape.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-resume-'));
const storage = join(tmp, 'store');
const childTmp = join(tmp, 'tmp');
const jobFile = join(tmp, 'shop.yaml');
let site: TestSite;

before(async () => {
  mkdirSync(childTmp);
  site = await startTestSite({ delayMs: 120, listPages: 10 });
  writeFileSync(
    jobFile,
    `startUrls: ["\${SITE_URL}/list?page=1"]
pagination: { next: "a[rel=next]" }
include: ["/item/*"]
delayMs: 0
maxConcurrency: 3
maxConcurrencyPerHost: 3
extract:
  - { match: /list, items: .item, fields: { name: h2, price: { selector: .price, type: number } } }
  - { match: "/item/*", fields: { title: h1 } }
`,
  );
});
after(async () => {
  await site.close();
  rmSync(tmp, { recursive: true, force: true });
});

function runCli(): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: string | null; stderr: string }>;
} {
  const child = spawn(process.execPath, [bin, 'run', jobFile, '--storage', storage], {
    cwd: root,
    // TMPDIR: a killed child leaves its browser profile behind; keep it in this test's directory
    env: { ...process.env, SITE_URL: site.url, TMPDIR: childTmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.resume();
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('resumes after kill -9 with every page crawled and every record stored once', {
  timeout: 120_000,
}, async () => {
  const first = runCli();
  const store = openSqliteStore(storePath(storage));
  try {
    // wait until a third of the 40 pages is committed, then kill the process outright
    for (;;) {
      const run = await store.runs.latest('shop');
      if (run && (await store.queue(run.id).counts()).done >= 13) break;
      assert.equal(first.child.exitCode, null, 'the crawl ended before it could be killed');
      await sleep(50);
    }
    first.child.kill('SIGKILL');
    const killed = await first.done;
    assert.equal(killed.signal, 'SIGKILL');
    const run = (await store.runs.latest('shop'))!;
    assert.equal(run.status, 'running', 'the killed run was not closed');
    const before = await store.queue(run.id).counts();
    assert.ok(before.done < 40 && before.done >= 13, JSON.stringify(before));

    const second = runCli();
    const resumed = await second.done;
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, new RegExp(`resuming run ${run.id} of shop`));

    const after = (await store.runs.get(run.id))!;
    assert.deepEqual([after.status, after.sessions], ['finished', 2]);
    assert.deepEqual(await store.queue(run.id).counts(), {
      pending: 0,
      in_progress: 0,
      done: 40,
      failed: 0,
      skipped: 0,
    });
    const keys: string[] = [];
    for await (const r of store.dataset(run.id).records()) keys.push(String(r.data.name ?? r.data.title));
    const expected = Array.from({ length: 30 }, (_, i) => `Item ${i + 1}`);
    assert.equal(keys.length, 60, 'each listing item and each item page once');
    assert.deepEqual([...new Set(keys)].sort(), expected.sort());
    for (const k of expected) assert.equal(keys.filter((x) => x === k).length, 2, k);
    // pages in flight at the kill were fetched again; the others only once
    const refetched = [...site.hits].filter(
      ([p, n]) => (p.startsWith('/list') || p.startsWith('/item')) && n > 1,
    );
    assert.ok(refetched.length <= 3, `refetched ${JSON.stringify(refetched)} (at most maxConcurrency)`);
  } finally {
    await store.close();
  }
});
