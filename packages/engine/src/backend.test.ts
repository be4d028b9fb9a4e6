import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeBackend, formatBackend, initBackend, useBackend } from './backend.js';
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
