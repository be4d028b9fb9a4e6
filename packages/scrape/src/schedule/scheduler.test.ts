/** The scheduler in-process: no overlap, missed-run policy at start-up, stop() keeping the queue. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkDefinition } from '../jobs/load-job.js';
import { MemoryStore } from '../storage/memory-store.js';
import { startTestSite, type TestSite } from '../testing/test-site.js';
import { Scheduler } from './scheduler.js';

let site: TestSite;
before(async () => {
  site = await startTestSite({ delayMs: 250, listPages: 8 });
});
after(() => site.close());

const job = (name: string, schedule: string, missed?: 'run-once' | 'skip') =>
  checkDefinition({
    name,
    schedule,
    missed,
    startUrls: [`${site.url}/list?page=1`],
    pagination: { next: 'a[rel=next]' },
    linkSelector: false,
    delayMs: 0,
  });

describe('Scheduler', () => {
  it('runs at every slot but never overlaps a run of the same job; stop() keeps the queue', {
    timeout: 60_000,
  }, async () => {
    const store = new MemoryStore();
    const lines: string[] = [];
    let midSecondRun = false;
    const scheduler = new Scheduler({
      jobs: [job('every-second', '* * * * * *')],
      store,
      storageDir: '/tmp/unused',
      log: (l) => lines.push(l),
      onProgress: (_job, p, run) => {
        // early in a run (pages left to queue after the one in flight), even on a loaded machine
        midSecondRun ||=
          run.id >= 2 &&
          p.counts.done >= 1 &&
          p.counts.done <= 4 &&
          p.counts.pending + p.counts.in_progress > 0;
      },
    });
    await scheduler.start();
    try {
      const deadline = Date.now() + 30_000;
      while (!midSecondRun) {
        assert.ok(Date.now() < deadline, `no second run in 30 s:\n${lines.join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await scheduler.stop();
    }
    const runs = (await store.runs.list()).sort((a, b) => a.id - b.id);
    assert.ok(runs.length >= 2, `${runs.length} runs`);
    for (let i = 1; i < runs.length; i++)
      assert.ok(runs[i]!.startedAt >= runs[i - 1]!.finishedAt!, 'runs do not overlap');
    assert.ok(
      lines.some((l) => /every-second: slot skipped, the previous run is still going \(no overlap\)/.test(l)),
      lines.join('\n'),
    );
    const last = runs.at(-1)!;
    assert.equal(last.status, 'interrupted', 'stopped mid-run');
    const counts = await store.queue(last.id).counts();
    assert.equal(counts.in_progress, 0);
    assert.ok(counts.pending > 0, 'the page in flight finished; the next is queued for the next start');
    assert.equal(scheduler.runningJobs.length, 0);
  });

  it('missed slots while down: run-once runs one catch-up at start, skip waits', async (t) => {
    const store = new MemoryStore();
    const hourAgo = Date.now() - 3_600_000;
    await store.runs.setSchedulerSeen('catch-up', hourAgo - 7_200_000);
    await store.runs.setSchedulerSeen('patient', hourAgo - 7_200_000);
    await store.runs.setSchedulerSeen('new', hourAgo);
    const lines: string[] = [];
    const scheduler = new Scheduler({
      jobs: [
        job('catch-up', '0 * * * *'),
        job('patient', '0 * * * *', 'skip'),
        { ...job('new', '0 0 1 1 *') },
      ],
      store,
      storageDir: '/tmp/unused',
      log: (l) => lines.push(l),
    });
    await scheduler.start();
    t.after(() => scheduler.stop());
    assert.deepEqual(scheduler.runningJobs, ['catch-up']);
    assert.ok(
      lines.some((l) => /catch-up: [23] slot\(s\) missed while down .*running once now/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /patient: [23] slot\(s\) missed while down; skipped \(missed: skip\)/.test(l)),
      lines.join('\n'),
    );
    await scheduler.stop();
    const run = await store.runs.latest('catch-up');
    assert.equal(run!.trigger, 'schedule-catch-up');
    assert.equal(await store.runs.latest('patient'), undefined);
    assert.ok((await store.runs.schedulerSeen('patient'))! > hourAgo, 'the daemon recorded that it was up');
  });
});
