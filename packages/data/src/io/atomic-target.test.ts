import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openAtomicTarget, removeStaleTemps } from './atomic-target.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-atomic-target-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('openAtomicTarget', () => {
  it('commit renames the temporary file into place; discard removes it', async () => {
    const a = await openAtomicTarget(join(tmp, 'a.csv.gz'));
    assert.match(a.tmp, /\/\.a\.tmp-\d+-[0-9a-f]{6}\.csv\.gz$/);
    writeFileSync(a.tmp, 'done');
    await a.commit();
    const b = await openAtomicTarget(join(tmp, 'a.csv.gz'));
    writeFileSync(b.tmp, 'half');
    await b.discard();
    assert.deepEqual(readdirSync(tmp), ['a.csv.gz']);
    assert.equal(readFileSync(join(tmp, 'a.csv.gz'), 'utf8'), 'done');
  });

  it("removes the temporary files of processes that are gone (SIGKILL), not a live process's", async () => {
    const dead = join(tmp, '.b.tmp-999999999-abcdef.feather'); // no such pid
    const live = join(tmp, `.b.tmp-${process.pid}-123456.feather`);
    const other = join(tmp, '.c.tmp-999999999-abcdef.feather'); // another target
    for (const f of [dead, live, other]) writeFileSync(f, 'x');
    assert.deepEqual(removeStaleTemps(join(tmp, 'b.feather')), ['.b.tmp-999999999-abcdef.feather']);
    assert.deepEqual(
      readdirSync(tmp).sort(),
      [`.b.tmp-${process.pid}-123456.feather`, '.c.tmp-999999999-abcdef.feather', 'a.csv.gz'].sort(),
    );
  });
});
