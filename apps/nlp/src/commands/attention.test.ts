/**
 * `pnpm nlp attention`: d2l §11.2's Nadaraya–Watson demo writes the fit plot, both heatmaps, the
 * parametric loss curve and metrics.json; the learned width fits the training points closer than
 * the fixed Gaussian kernel (whose estimate is too smooth: d2l's figures), and bad input is exit 2.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { PathError } from '@dlpipe/core';
import { attention } from './attention.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-attention-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

type Metrics = {
  nonParametric: { testMse: number };
  parametric: { testMse: number; w0: number; w: number; losses: number[] };
  files: string[];
};

async function run(...argv: string[]) {
  const ctx = { app: 'nlp', command: 'attention', signal: new AbortController().signal, json: false };
  return (await attention.spec.run(attention.parse(argv), ctx)) as { lines: string[]; data: Metrics };
}

describe('nlp attention', () => {
  it('writes the fit, both heatmaps, the loss and metrics.json; seeded', async () => {
    const out = join(tmp, 'nw');
    const r = await run('--out', out, '--seed', '0');
    assert.deepEqual(readdirSync(out).sort(), [
      'fit.png',
      'loss.png',
      'metrics.json',
      'weights-nonparametric.png',
      'weights-parametric.png',
    ]);
    for (const f of readdirSync(out).filter((f) => f.endsWith('.png'))) {
      assert.deepEqual([...readFileSync(join(out, f)).subarray(1, 4)], [0x50, 0x4e, 0x47], `${f} is a PNG`);
    }
    const m = r.data;
    assert.equal(m.parametric.losses.length, 5);
    assert.ok(m.parametric.losses[4]! < m.parametric.losses[0]!, 'the loss falls');
    assert.ok(m.parametric.w > m.parametric.w0, 'a narrower kernel fits the points closer');
    assert.ok(m.nonParametric.testMse > 0 && m.parametric.testMse > 0);
    const saved = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.equal(saved.parametric.w, m.parametric.w);
    const again = await run('--out', join(tmp, 'nw2'), '--seed', '0');
    assert.deepEqual(again.data.parametric, m.parametric);
  });

  it('refuses an output path that is a file: PathError, exit 2, one line', async () => {
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    await assert.rejects(run('--out', file), PathError);
    const bin = new URL('../../bin/dlpipe-nlp.mjs', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, 'attention', '--out', file], {
      encoding: 'utf8',
      env: { ...process.env, DLPIPE_QUIET: '1' },
    });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /a-file is a file, not a folder/);
  });
});
