import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADAM_UPDATE, tf, useBackend } from '@dlpipe/engine';
import { expectNative, nativeSkip, seeded } from '@dlpipe/engine/testing';
import { Adam, AdamW } from '@dlpipe/tensor';

/** Five AdamW steps on fixed gradients; returns the weights. */
function run(makeOpt: () => tf.Optimizer, forceOps: boolean): number[] {
  const w = tf.variable(seeded([3, 4], 1), true, `w${Math.random()}`);
  const opt = makeOpt();
  const saved = tf.getKernel(ADAM_UPDATE, tf.getBackend());
  if (forceOps && saved) tf.unregisterKernel(ADAM_UPDATE, tf.getBackend());
  try {
    for (let i = 0; i < 5; i++) opt.applyGradients({ [w.name]: seeded([3, 4], 10 + i) });
  } finally {
    if (forceOps && saved) tf.registerKernel(saved);
  }
  const out = Array.from(w.dataSync());
  w.dispose();
  opt.dispose();
  return out;
}

function close(a: number[], b: number[], tol = 1e-6): void {
  a.forEach((v, i) => {
    assert.ok(Math.abs(v - b[i]!) <= tol, `element ${i}: ${v} vs ${b[i]}`);
  });
}

describe('fused Adam/AdamW update', () => {
  it('cpu: the fused kernel equals the tf-ops path (Adam and AdamW)', async () => {
    await useBackend('cpu');
    const adamw = () => new AdamW({ learningRate: 0.1, weightDecay: 0.05 });
    close(run(adamw, false), run(adamw, true));
    const adam = () => new Adam({ learningRate: 0.1 });
    close(run(adam, false), run(adam, true));
  });
  it('cpu: Adam matches PyTorch torch.optim.Adam on a hand-checked first step', async () => {
    await useBackend('cpu');
    const w = tf.variable(tf.tensor1d([1, -1]), true, 'adam_first');
    new Adam({ learningRate: 0.01 }).applyGradients({ adam_first: tf.tensor1d([0.2, -4]) });
    // first step of Adam moves each weight by lr·sign(g) (m̂/√v̂ = g/|g|)
    close(Array.from(w.dataSync()), [0.99, -0.99]);
  });
  it('native: the addon kernel equals the cpu kernel (Adam and AdamW)', { skip: nativeSkip }, async () => {
    const adamw = () => new AdamW({ learningRate: 0.1, weightDecay: 0.05 });
    const adam = () => new Adam({ learningRate: 0.1 });
    for (const make of [adamw, adam]) {
      await useBackend('cpu');
      const cpu = run(make, false);
      await useBackend('native');
      let native: number[] = [];
      const counts = await expectNative(ADAM_UPDATE, () => {
        native = run(make, false);
      });
      assert.equal(counts[ADAM_UPDATE]!.native, 5, 'one fused update per step');
      close(native, cpu, 1e-5); // float32 in C++ vs float64 in the JS kernel
    }
  });
});
