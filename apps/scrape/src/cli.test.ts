/** dlpipe-scrape as a user runs it: run (on the demo site), status, export, jobs, and its errors. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'apps/scrape/bin/dlpipe-scrape.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-scrape-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI; several may run at once (they spend most of their time loading modules). */
function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    timeout: 90_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const storage = join(tmp, 'store');

describe('dlpipe-scrape', () => {
  it('run crawls the demo site with progress and a summary; status and export read the run', async () => {
    const run = await cli([
      'run',
      'data/scrape/jobs/demo-shop.yaml',
      '--serve',
      'data/scrape/site',
      '--storage',
      storage,
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /^run 1 of demo-shop finished after 0:\d\d: 18 done, 0 failed, 1 skipped, 0 pending · 15 records, 12 images · \d+ pages\/min$/m,
    );
    assert.match(run.stderr, /demo-shop {2}done 18 queued 0 failed 0 skipped 1 {2}\d+ pages\/min/);
    const [list, one, ...exports] = await Promise.all([
      cli(['status', '--storage', storage]),
      cli(['status', 'demo-shop', '--storage', storage, '--json']),
      ...['jsonl', 'feather'].map((f) =>
        cli(['export', '1', '--format', f, '--out', join(tmp, `demo.${f}`), '--storage', storage]),
      ),
      cli(['export', 'demo-shop', '--format', 'csv', '--images', '--storage', storage]),
    ]);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^RUN +JOB +STATUS .*\n1 +demo-shop +finished +/);
    const detail = JSON.parse(one.stdout);
    assert.deepEqual([detail.run.id, detail.counts.done, detail.records, detail.images], [1, 18, 15, 12]);
    for (const [i, format] of ['jsonl', 'feather'].entries()) {
      const out = join(tmp, `demo.${format}`);
      assert.equal(exports[i]!.status, 0, exports[i]!.stderr);
      assert.equal(exports[i]!.stdout.trim(), `wrote 15 records of run 1 (demo-shop) to ${out}`);
      assert.ok(existsSync(out));
    }
    assert.match(exports[2]!.stdout, /wrote 12 image rows of run 1 \(demo-shop\) to .*images\/manifest\.csv/);
    const rows = readFileSync(join(tmp, 'demo.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const monstera = rows.find((r) => r.name === 'Monstera deliciosa');
    assert.deepEqual(
      [monstera.price, monstera.tags, monstera.care[0].water],
      [24.5, ['easy', 'sunny'], 'weekly'],
    );
    assert.deepEqual(
      rows.filter((r) => r.author).map((r) => r.stars),
      [5, 4, 3],
    );
  });

  it('jobs lists the job files with schedule and last run', async () => {
    const r = await cli(['jobs', '--jobs', 'data/scrape/jobs', '--storage', storage]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^NAME +SCHEDULE +NEXT SLOT +LAST RUN +FILE\ndemo-shop +0 6 \* \* \* +\d{4}-\d\d-\d\d 06:00:00 +1 finished /,
    );
  });

  it('SIGTERM stops run cleanly: pages in flight finish, the queue is kept, exit 143', async () => {
    const store = join(tmp, 'term');
    const args = [
      'run',
      'data/scrape/jobs/demo-shop.yaml',
      '--serve',
      'data/scrape/site',
      '--storage',
      store,
    ];
    const child = spawn(process.execPath, [bin, ...args, '--delay', '400'], { cwd: root, timeout: 90_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      if (!child.killed && /starting run 1 /.test(stderr)) child.kill('SIGTERM'); // once: a second one quits at once
    });
    const status = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(status, 143, stderr);
    assert.match(stderr, /SIGTERM: stopping cleanly[\s\S]*finishing the pages in flight, keeping the queue/);
    assert.match(stdout, /^run 1 of demo-shop interrupted after .*\nresume with: dlpipe-scrape run /m);
    const after = JSON.parse((await cli(['status', '1', '--storage', store, '--json'])).stdout);
    assert.equal(after.run.status, 'interrupted');
    assert.deepEqual([after.counts.in_progress, after.counts.pending > 0], [0, true]);
  });

  it('bad job files, usage errors and a missing browser are one clear message each, not a stack', async () => {
    const jobs = join(tmp, 'jobs');
    mkdirSync(jobs, { recursive: true });
    writeFileSync(join(jobs, 'bad.yaml'), 'startUrls: [http://127.0.0.1:1/]\nmaxPages: -3\npolitenes: {}\n');
    const [bad, listed, unknown, format, noRun, noBrowser, help] = await Promise.all([
      cli(['run', 'bad', '--jobs', jobs, '--storage', storage]),
      cli(['jobs', '--jobs', jobs, '--storage', storage]),
      cli(['crawl']),
      cli(['export', '1', '--format', 'xml', '--storage', storage]),
      cli(['status', '99', '--storage', storage]),
      cli(['run', 'data/scrape/jobs/demo-shop.yaml', '--storage', join(tmp, 'nb'), '--fresh'], {
        DLPIPE_CHROMIUM: '/nonexistent/chrome',
      }),
      cli(['--help']),
    ]);
    assert.equal(bad.status, 2);
    assert.match(
      bad.stderr,
      /^dlpipe-scrape run: .*bad\.yaml: maxPages \(line 2\): .*; politenes \(line 3\): unknown field.*\(pnpm scrape run --help\)$/m,
    );
    for (const r of [bad, noRun, noBrowser]) assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
    assert.equal(listed.status, 1);
    assert.match(listed.stdout, /invalid: .*bad\.yaml/);
    assert.equal(unknown.status, 2);
    assert.equal(
      unknown.stderr,
      "dlpipe-scrape: unknown command 'crawl' (commands: run, schedule, jobs, status, export)\n",
    );
    assert.equal(format.status, 2);
    assert.equal(
      format.stderr,
      "dlpipe-scrape export: --format 'xml': expected one of jsonl, csv, feather (pnpm scrape export --help)\n",
    );
    assert.equal(noRun.status, 2);
    assert.match(noRun.stderr, /no run '99' in .*scrape\.sqlite/);
    assert.equal(noBrowser.status, 2);
    assert.match(
      noBrowser.stderr,
      /DLPIPE_CHROMIUM is set to \/nonexistent\/chrome.*apt-get install chromium/,
    );
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: pnpm scrape <command>/);
  });
});
