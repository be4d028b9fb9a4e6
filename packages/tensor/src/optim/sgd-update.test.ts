import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SGD_UPDATE, tf, useBackend } from '@dlpipe/engine';
import { expectNative, nativeSkip, seeded } from '@dlpipe/engine/testing';
import { SGD, SGDW } from '@dlpipe/tensor';

/** Five steps on fixed gradients; returns the weights. `forceOps` removes the fused kernel. */
function run(makeOpt: () => tf.Optimizer, forceOps: boolean): number[] {
  const w = tf.variable(seeded([4, 3], 1), true, `sgd_w${Math.random()}`);
  const opt = makeOpt();
  const saved = tf.getKernel(SGD_UPDATE, tf.getBackend());
  if (forceOps && saved) tf.unregisterKernel(SGD_UPDATE, tf.getBackend());
  try {
    for (let i = 0; i < 5; i++) opt.applyGradients({ [w.name]: seeded([4, 3], 20 + i) });
  } finally {
    if (forceOps && saved) tf.registerKernel(saved);
  }
  const out = Array.from(w.dataSync());
  tf.dispose([w]);
  opt.dispose();
  return out;
}

function close(a: number[], b: number[], tol: number): void {
  a.forEach((v, i) => {
    assert.ok(Math.abs(v - b[i]!) <= tol, `element ${i}: ${v} vs ${b[i]}`);
  });
}

const variants: Array<[string, () => tf.Optimizer]> = [
  ['plain', () => new SGD({ learningRate: 0.1 })],
  ['momentum', () => new SGD({ learningRate: 0.1, momentum: 0.9 })],
  [
    'nesterov + decay',
    () => new SGDW({ learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  ],
];

describe('fused SGD update', () => {
  for (const [name, make] of variants) {
    it(`cpu: fused kernel equals the tf-ops path (${name})`, async () => {
      await useBackend('cpu');
      close(run(make, false), run(make, true), 1e-6);
    });
    it(`native: addon equals cpu (${name})`, { skip: nativeSkip }, async () => {
      await useBackend('cpu');
      const cpu = run(make, false);
      await useBackend('native');
      let native: number[] = [];
      const counts = await expectNative(SGD_UPDATE, () => {
        native = run(make, false);
      });
      assert.equal(counts[SGD_UPDATE]!.native, 5, 'one fused update per step');
      close(native, cpu, 1e-5);
    });
  }
  it('momentum matches tfjs tf.train.momentum (same recurrence, buffer starts at g)', async () => {
    await useBackend('cpu');
    const ours = run(() => new SGD({ learningRate: 0.1, momentum: 0.9 }), false);
    const theirs = run(() => tf.train.momentum(0.1, 0.9), false);
    close(ours, theirs, 1e-6);
  });
});
