/**
 * `pnpm scrape --help` and `pnpm scrape run --help` answer without loading TensorFlow.js: the
 * real bin runs under a trace (testing/tfjs-trace.mjs) of every @tensorflow module imported or
 * required; a process that does load tfjs shows the trace works.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { promisify } from 'node:util';

const root = new URL('../../../', import.meta.url).pathname;
const bin = join(root, 'apps/scrape/bin/dlpipe-scrape.mjs');
const trace = new URL('./testing/tfjs-trace.mjs', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-scrape-lazy-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs node with the trace; resolves to stdout and the @tensorflow modules loaded. */
async function traced(name: string, args: string[]): Promise<{ stdout: string; tfjs: string[] }> {
  const file = join(tmp, name);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', trace, ...args], {
    cwd: root,
    env: { ...process.env, TFJS_TRACE_FILE: file },
    timeout: 90_000,
  });
  const tfjs = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  return { stdout, tfjs };
}

it('--help and run --help load no module of @tensorflow', { timeout: 120_000 }, async () => {
  const [help, runHelp, control] = await Promise.all([
    traced('help', [bin, '--help']),
    traced('run-help', [bin, 'run', '--help']),
    traced('control', ['--import', 'tsx', '-e', "await import('@dlpipe/tensor')"]),
  ]);
  assert.match(help.stdout, /^usage: pnpm scrape <command>[\s\S]*\n {2}run {7}run a job now/);
  assert.match(runHelp.stdout, /^usage: pnpm scrape run <job> \[options\][\s\S]*--max-pages N/);
  assert.deepEqual(help.tfjs, []);
  assert.deepEqual(runHelp.tfjs, []);
  assert.ok(
    control.tfjs.some((l) => /^import .*\/@tensorflow\/tfjs\//.test(l)) &&
      control.tfjs.some((l) => /^require .*\/@tensorflow\/tfjs-core\//.test(l)),
    `the trace sees tfjs load: ${control.tfjs.join(', ')}`,
  );
});
