/**
 * `pnpm nlp timeseries`: the sine run writes its figures and metrics.json with d2l's settings; a
 * CSV column (rows shuffled, ordered back by a date column) forecasts as well; bad flags and bad
 * cells are one-line errors with exit 2 that write nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { OptionsError, PathError } from '@dlpipe/core';
import { CsvError } from '@dlpipe/data';
import { sineSeries } from '@dlpipe/nlp';
import { parseSteps, timeseries } from './timeseries.js';

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-timeseries-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

type Metrics = {
  T: number;
  nTrain: number;
  oneStep: { testMse: number };
  kStep: Record<string, number>;
  files: string[];
};

async function run(...argv: string[]) {
  const ctx = { app: 'nlp', command: 'timeseries', signal: new AbortController().signal, json: false };
  return (await timeseries.spec.run(timeseries.parse(argv), ctx)) as { lines: string[]; data: Metrics };
}

describe('nlp timeseries', () => {
  it("forecasts d2l's sine and writes predictions.png, k-step.png, loss.png and metrics.json", async () => {
    const out = join(tmp, 'sine');
    const r = await run('--out', out);
    assert.deepEqual(readdirSync(out).sort(), ['k-step.png', 'loss.png', 'metrics.json', 'predictions.png']);
    assert.equal(r.data.T, 1000);
    assert.equal(r.data.nTrain, 600);
    assert.deepEqual(Object.keys(r.data.kStep), ['1', '4', '16', '64']);
    assert.ok(r.data.oneStep.testMse < 0.065 && r.data.kStep['64']! > 4 * r.data.oneStep.testMse);
    const saved = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    assert.equal(saved.kStep['64'], r.data.kStep['64']);
    assert.match(r.lines[1]!, /^1-step MSE: train 0\.0\d+, test 0\.0\d+$/);
  });

  it('forecasts a CSV column ordered by its time column, in the series units', async () => {
    const s = sineSeries({ T: 400, seed: 9 });
    const day = (t: number) => new Date(Date.UTC(2020, 0, 1) + t * 86_400_000).toISOString().slice(0, 10);
    const rows = s.x.map((v, i) => `${day(s.time[i]!)},${100 + 10 * v}`);
    const shuffled = rows.map((r, i) => [r, (i * 7919) % rows.length] as const).sort((a, b) => a[1] - b[1]);
    const csv = join(tmp, 'sales.csv');
    writeFileSync(csv, `date,units\n${shuffled.map((r) => r[0]).join('\n')}\n`);
    const out = join(tmp, 'csv');
    const r = await run(
      '--csv',
      csv,
      '--column',
      'units',
      '--time-column',
      'date',
      '--steps',
      '1,8',
      '--out',
      out,
    );
    assert.equal(r.data.T, 400);
    assert.deepEqual(Object.keys(r.data.kStep), ['1', '8']);
    // 10× the sine: noise variance 100 · 0.04 = 4; ordered rows forecast near it, shuffled ones could not.
    assert.ok(
      r.data.oneStep.testMse > 2 && r.data.oneStep.testMse < 8,
      `1-step MSE ${r.data.oneStep.testMse}`,
    );
    assert.ok(existsSync(join(out, 'k-step.png')));
  });

  it('refuses bad flags and inputs before writing anything', async () => {
    const out = join(tmp, 'never');
    assert.deepEqual(parseSteps('1, 4,16'), [1, 4, 16]);
    assert.throws(() => parseSteps('1,,4'), /--steps '1,,4'/);
    await assert.rejects(run('--steps', '0', '--out', out), OptionsError);
    await assert.rejects(run('--column', 'x', '--out', out), /give --csv too/);
    await assert.rejects(run('--csv', join(tmp, 'missing.csv'), '--column', 'x', '--out', out), PathError);
    const bad = join(tmp, 'bad.csv');
    writeFileSync(bad, 'v\n1\n2\nn/a?\n');
    await assert.rejects(run('--csv', bad, '--out', out), /needs --column NAME/);
    await assert.rejects(
      run('--csv', bad, '--column', 'v', '--out', out),
      (e) =>
        e instanceof CsvError && /bad\.csv, line 4, column 'v': 'n\/a\?' is not a number/.test(e.message),
    );
    await assert.rejects(run('--tau', '2000', '--out', out), /no example with tau = 2000/);
    assert.throws(() => timeseries.parse(['--epochs=-1']), /--epochs '-1'/);
    assert.equal(existsSync(out), false);
  });

  it('exits 2 with one line on bad input', () => {
    const bin = new URL('../../bin/dlpipe-nlp.mjs', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, 'timeseries', '--tau', 'abc'], {
      encoding: 'utf8',
      cwd: tmp,
      env: { ...process.env, DLPIPE_QUIET: '1' },
    });
    assert.equal(r.status, 2);
    assert.deepEqual(r.stderr.trim().split('\n'), [
      "dlpipe-nlp timeseries: --tau 'abc': expected a number (pnpm nlp timeseries --help)",
    ]);
    assert.equal(existsSync(join(tmp, 'runs')), false);
  });
});
