import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  backendNotice,
  describeBackend,
  firstTimeOnInstall,
  formatBackend,
  initBackend,
  shortBackendNotice,
  useBackend,
} from './backend.js';
import { BackendError } from './errors.js';
import * as tf from './tf.js';

describe('backend choice', () => {
  it('refuses an unknown backend, naming the known ones', async () => {
    await assert.rejects(initBackend({ backend: 'webgpu' }), (e: Error) => {
      assert.ok(e instanceof BackendError);
      assert.match(e.message, /unknown backend 'webgpu'.*expected one of tensorflow, native, wasm, cpu/);
      return true;
    });
  });
  it('a forced backend that cannot load is an error with how to get it, not a fallback', async (t) => {
    try {
      await import('@tensorflow/tfjs-node');
      t.skip('tfjs-node loads on this machine');
      return;
    } catch {
      // expected offline: its install could not download libtensorflow
    }
    await assert.rejects(
      initBackend({ backend: 'tensorflow' }),
      /backend 'tensorflow' was forced but cannot load: .*To get it: install @tensorflow\/tfjs-node/,
    );
  });
  it('picks the best loadable backend and says why better ones were skipped', async () => {
    const notices: string[] = [];
    const d = await initBackend({ notice: (l) => notices.push(l) });
    assert.equal(tf.getBackend(), d.name);
    if (d.name !== 'tensorflow') {
      assert.equal(notices.length, 1);
      assert.match(notices[0]!, new RegExp(`using the '${d.name}' backend \\(tensorflow: `));
      assert.ok(d.attempts.some((a) => a.name === 'tensorflow' && !a.ok));
    }
    const again = await describeBackend();
    assert.equal(again, d, 'the choice is made once');
    assert.match(formatBackend(d), new RegExp(`^backend ${d.name} \\(tfjs 4\\.22\\.0`));
  });
  it('wasm reports SIMD and can be switched to and back', async () => {
    const w = await useBackend('wasm');
    assert.equal(w.name, 'wasm');
    assert.equal(typeof w.simd, 'boolean');
    assert.equal(tf.getBackend(), 'wasm');
    await useBackend('cpu');
    assert.equal(tf.getBackend(), 'cpu');
  });
});

describe('the backend notice', () => {
  it('is remembered per install and key: true the first time, false after', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlpipe-notices-'));
    try {
      assert.equal(firstTimeOnInstall('backend native; tensorflow: missing', dir), true);
      assert.equal(firstTimeOnInstall('backend native; tensorflow: missing', dir), false);
      assert.equal(firstTimeOnInstall('backend wasm; tensorflow: missing; native: missing', dir), true);
      assert.equal(readdirSync(dir).length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('is one short line by default, the reasons and the fix in full when asked', () => {
    const skipped = [
      { name: 'tensorflow' as const, ok: false, reason: 'The Node.js native addon module can not be found' },
      { name: 'native' as const, ok: false, reason: 'the native addon is not built' },
    ];
    const short = shortBackendNotice('wasm', skipped);
    assert.equal(
      short,
      "dlpipe: using the 'wasm' backend ('tensorflow', 'native' did not load; DLPIPE_VERBOSE=1 says why). Shown once.",
    );
    assert.ok(short.length <= 120);
    assert.match(
      backendNotice('wasm', skipped),
      /^dlpipe: using the 'wasm' backend \(tensorflow: The Node.js .*; native: the native addon is not built\)\. For 'tensorflow': install @tensorflow\/tfjs-node/,
    );
  });
});

describe('deterministic', () => {
  it('puts the native kernels on one thread, also when the backend was chosen before', async (t) => {
    try {
      await useBackend('native');
    } catch {
      t.skip('the native addon is not built here');
      return;
    }
    const d = await initBackend({ deterministic: true });
    assert.equal(process.env.DLPIPE_THREADS, '1');
    assert.deepEqual([d.name, d.threads], ['native', 1]);
    assert.equal((await describeBackend()).threads, 1);
  });
});
