/**
 * The scheduler daemon as a process: a job due every second that takes longer than a second never
 * overlaps itself; SIGTERM lets the pages in flight finish, keeps the queue and exits 143 (128 + SIGTERM); the next
 * start resumes the interrupted run. The site is served by this test on 127.0.0.1.
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
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-daemon-'));
const storage = join(tmp, 'store');
const childTmp = join(tmp, 'tmp');
const jobs = join(tmp, 'jobs');
let site: TestSite;

before(async () => {
  mkdirSync(childTmp);
  site = await startTestSite({ delayMs: 250, listPages: 6 });
  mkdirSync(jobs);
  writeFileSync(
    join(jobs, 'ticker.yaml'),
    `schedule: "* * * * * *"\nstartUrls: ["\${SITE_URL}/list?page=1"]\npagination: { next: "a[rel=next]" }\nlinkSelector: false\ndelayMs: 0\n` +
      'extract: { items: .item, fields: { name: h2 } }\n',
  );
});
after(async () => {
  await site.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface Daemon {
  child: ChildProcess;
  lines: string[];
  waitFor(re: RegExp, timeoutMs?: number): Promise<string>;
  exit: Promise<number | null>;
}

function startDaemon(): Daemon {
  const child = spawn(process.execPath, [bin, 'schedule', '--jobs', jobs, '--storage', storage], {
    cwd: root,
    // TMPDIR: a killed child leaves its browser profile behind; keep it in this test's directory
    env: { ...process.env, SITE_URL: site.url, TMPDIR: childTmp },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let pending = '';
  child.stdout!.on('data', (d) => {
    const parts = (pending + d).split('\n');
    pending = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.on('data', (d) => lines.push(`stderr: ${d}`));
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const waitFor = async (re: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = lines.find((l) => re.test(l));
      if (hit) return hit;
      if (child.exitCode !== null || Date.now() > deadline)
        assert.fail(`no line ${re}; got:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, lines, waitFor, exit };
}

it('no overlap, graceful SIGTERM, resume at the next start', { timeout: 150_000 }, async () => {
  const first = startDaemon();
  try {
    await first.waitFor(/ticker: run 1 finished/);
    await first.waitFor(/ticker: run 2 started/);
    assert.ok(
      first.lines.some((l) => /ticker: slot skipped, the previous run is still going \(no overlap\)/.test(l)),
    );
    const store = openSqliteStore(storePath(storage));
    try {
      for (;;) {
        if ((await store.queue(2).counts()).done >= 1) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      first.child.kill('SIGTERM');
      assert.equal(await first.exit, 143, first.lines.join('\n'));
      assert.ok(
        first.lines.some((l) => /Z SIGTERM: stopping; running crawls finish their pages in flight$/.test(l)),
      );
      assert.ok(
        first.lines.some((l) => /ticker: run 2 interrupted/.test(l)),
        first.lines.join('\n'),
      );
      const runs = (await store.runs.list({ job: 'ticker' })).reverse();
      assert.deepEqual(
        runs.map((r) => r.status),
        ['finished', 'interrupted'],
      );
      assert.ok(runs[1]!.startedAt >= runs[0]!.finishedAt!, 'run 2 started after run 1 finished');
      const counts = await store.queue(2).counts();
      assert.equal(counts.in_progress, 0, 'in-flight pages finished');
      assert.ok(counts.pending >= 1, 'the rest is queued');

      const second = startDaemon();
      try {
        await second.waitFor(/ticker: resuming interrupted run 2/);
        await second.waitFor(/ticker: run 2 finished/);
        second.child.kill('SIGTERM');
        assert.equal(await second.exit, 143);
      } finally {
        second.child.kill('SIGKILL');
      }
      const run2 = (await store.runs.get(2))!;
      assert.deepEqual([run2.status, run2.sessions, run2.stats.done], ['finished', 2, 6]);
      const names: unknown[] = [];
      for await (const r of store.dataset(2).records()) names.push(r.data.name);
      assert.equal(names.length, 18);
      assert.equal(new Set(names).size, 18, 'no record twice');
    } finally {
      await store.close();
    }
  } finally {
    first.child.kill('SIGKILL');
  }
});
