/**
 * `pnpm vision train` killed with SIGKILL at a random moment after its first checkpoint, then run
 * again with --resume: the history (each epoch once) and every loss equal an uninterrupted run's,
 * bit for bit (--deterministic: one native thread, the same seed).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { tf } from '@dlpipe/tensor';
import { encodeImage } from '@dlpipe/vision';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'apps/vision/bin/dlpipe-vision.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-kill-'));
const env = { ...process.env, DLPIPE_QUIET: '1', HOME: tmp };
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Two classes of 12 noisy 16×16 gray images: the losses keep changing from step to step. */
before(async () => {
  let seed = 7;
  const noise = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return (seed / 2 ** 31) * 60;
  };
  for (const [cls, base] of [
    ['dark', 40],
    ['bright', 160],
  ] as const) {
    mkdirSync(join(tmp, 'data', cls), { recursive: true });
    for (let i = 0; i < 12; i++) {
      const px = Array.from({ length: 16 * 16 }, () => Math.round(base + noise()));
      const png = await encodeImage(tf.tensor3d(px, [16, 16, 1], 'int32'));
      writeFileSync(join(tmp, 'data', cls, `${i}.png`), png);
    }
  }
});

const args = (name: string) => [
  'train',
  ...['--data', join(tmp, 'data'), '--resize', '28', '--channels', '1', '--model', 'lenet'],
  ...['--epochs', '30', '--batch', '4', '--checkpoint-every', '3', '--seed', '3', '--deterministic'],
  ...['--runs', join(tmp, 'runs'), '--name', name],
];

/** The history without wall-clock fields. */
function history(name: string): Record<string, unknown>[] {
  return readFileSync(join(tmp, 'runs', name, 'history.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const { seconds: _s, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest;
    });
}

/** Starts a run and kills it with SIGKILL a random moment (up to `maxDelayMs`) after its first checkpoint. */
function killedRun(name: string, maxDelayMs: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args(name)], { env, stdio: 'ignore' });
    const latest = join(tmp, 'runs', name, 'checkpoints', 'latest.json');
    const poll = setInterval(() => {
      if (!existsSync(latest)) return;
      clearInterval(poll);
      setTimeout(() => child.kill('SIGKILL'), Math.random() * maxDelayMs);
    }, 20);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      resolve(signal);
    });
  });
}

it('kill -9 during vision train, then --resume: the same history and losses as an uninterrupted run', {
  timeout: 240_000,
}, async () => {
  const full = spawnSync(process.execPath, [bin, ...args('full')], { env, encoding: 'utf8' });
  assert.equal(full.status, 0, full.stderr);
  // a fast machine may finish before the kill: then start over with a shorter delay
  let signal: NodeJS.Signals | null = null;
  for (let attempt = 0; attempt < 4 && signal !== 'SIGKILL'; attempt++) {
    rmSync(join(tmp, 'runs', 'killed'), { recursive: true, force: true });
    signal = await killedRun('killed', 400 / (attempt + 1));
  }
  assert.equal(signal, 'SIGKILL', 'the run was killed before it finished');
  const resumed = spawnSync(process.execPath, [bin, ...args('killed'), '--resume'], {
    env: { ...env, DLPIPE_QUIET: '' },
    encoding: 'utf8',
  });
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming from epoch \d+, step \d+/);
  const a = history('full');
  const b = history('killed');
  assert.equal(b.filter((r) => r.kind === 'epoch').length, 30, 'each epoch once');
  assert.deepEqual(b, a);
  assert.deepEqual(
    JSON.parse(readFileSync(join(tmp, 'runs', 'killed', 'metrics.json'), 'utf8')).test,
    JSON.parse(readFileSync(join(tmp, 'runs', 'full', 'metrics.json'), 'utf8')).test,
  );
});
