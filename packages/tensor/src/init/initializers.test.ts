import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { OptionsError, setSeed } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { computeFans, initializer } from './initializers.js';

before(async () => {
  await tf.setBackend('cpu');
  setSeed(7);
});

function moments(t: tf.Tensor): { mean: number; variance: number; max: number } {
  const v = t.dataSync();
  let s = 0;
  let s2 = 0;
  let max = 0;
  for (const x of v) {
    s += x;
    s2 += x * x;
    max = Math.max(max, Math.abs(x));
  }
  const mean = s / v.length;
  t.dispose();
  return { mean, variance: s2 / v.length - mean * mean, max };
}

describe('initializers', () => {
  const shape = [400, 200]; // fanIn 400, fanOut 200, 80,000 samples: sampling error of the variance ≈ 0.5%
  const cases: Array<[string, number, number?]> = [
    ['xavierUniform', 2 / 600, Math.sqrt(6 / 600)],
    ['xavierNormal', 2 / 600],
    ['heUniform', 2 / 400, Math.sqrt(6 / 400)],
    ['heNormal', 2 / 400],
    ['normal001', 1e-4],
  ];
  for (const [name, variance, bound] of cases) {
    it(`${name} has variance ${variance.toExponential(3)}`, () => {
      const m = moments(initializer(name).apply(shape));
      assert.ok(Math.abs(m.mean) < 0.03 * Math.sqrt(variance), `mean ${m.mean}`);
      assert.ok(Math.abs(m.variance / variance - 1) < 0.03, `variance ${m.variance} vs ${variance}`);
      if (bound) assert.ok(m.max <= bound, `|w| ${m.max} exceeds the uniform bound ${bound}`);
    });
  }
  it('computes conv fans as PyTorch does (receptive field × channels)', () => {
    assert.deepEqual(computeFans([5, 5, 6, 16]), { fanIn: 150, fanOut: 400 });
  });
  it('names the known initializers for an unknown one', () => {
    assert.throws(() => initializer('glorot'), /unknown initializer 'glorot'; expected one of xavierUniform/);
    assert.throws(() => initializer('glorot'), OptionsError);
  });
  it('works as a Layers kernelInitializer and survives serialization', () => {
    const layer = tf.layers.dense({ units: 3, inputShape: [4], kernelInitializer: initializer('heNormal') });
    const model = tf.sequential({ layers: [layer] });
    const json = model.toJSON(undefined, false) as {
      config: { layers: Array<{ config: { kernel_initializer: { class_name: string } } }> };
    };
    assert.equal(json.config.layers[0]!.config.kernel_initializer.class_name, 'DlpipeFanNormal');
    model.dispose();
  });
});
