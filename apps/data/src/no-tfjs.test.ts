/**
 * The data CLI needs no tensors: its help and a real command run without loading TensorFlow.js
 * (traced by apps/scrape/src/testing/tfjs-trace.mjs, which records every @tensorflow module loaded).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { promisify } from 'node:util';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'apps/data/bin/dlpipe-data.mjs');
const trace = join(root, 'apps/scrape/src/testing/tfjs-trace.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-data-notf-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function tfjsLoaded(name: string, args: string[]): Promise<string[]> {
  const file = join(tmp, name);
  await promisify(execFile)(process.execPath, ['--import', trace, bin, ...args], {
    cwd: root,
    env: { ...process.env, TFJS_TRACE_FILE: file },
    timeout: 90_000,
  });
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
}

it('--help, convert --help, head and convert load no module of @tensorflow', {
  timeout: 120_000,
}, async () => {
  const out = join(tmp, 'iris.feather');
  const runs = await Promise.all([
    tfjsLoaded('help', ['--help']),
    tfjsLoaded('convert-help', ['convert', '--help']),
    tfjsLoaded('head', ['head', 'data/label/iris.csv', '-n', '2']),
    tfjsLoaded('convert', ['convert', 'data/label/iris.csv', out, '--quiet']),
  ]);
  assert.deepEqual(runs, [[], [], [], []]);
  assert.ok(existsSync(out));
});
