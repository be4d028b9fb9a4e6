import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadModel, saveModel, tf } from '@dlpipe/tensor';
import { ImageShapeError, ModelConfigError } from '../errors.js';
import { checkInput, countParameters, createModel } from './registry.js';

/*
 * PyTorch's counts, `sum(p.numel() for p in net.parameters())`, for d2l's definitions (d2l.ai,
 * PyTorch edition) computed with Debian's python3-torch 1.13.1 by the script below (abridged to
 * the models' definitions as in the book; ResNet-50 is torchvision's layout, whose published
 * count 25,557,032 it reproduces):
 *
 *   def lenet(): return nn.Sequential(nn.LazyConv2d(6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, 2),
 *       nn.LazyConv2d(16, 5), nn.Sigmoid(), nn.AvgPool2d(2, 2), nn.Flatten(), nn.LazyLinear(120),
 *       nn.Sigmoid(), nn.LazyLinear(84), nn.Sigmoid(), nn.LazyLinear(10))
 *   ... (lenet_bn, alexnet, vgg(arch), nin, googlenet, resnet(arch), densenet as d2l §7.6–8.7)
 *   net(torch.zeros(shape)); print(sum(p.numel() for p in net.parameters()))
 *
 * The full script is packages/vision/src/models/torch_counts.py.
 */
const TORCH: Array<[string, [number, number, number], number, number]> = [
  ['mlp', [28, 28, 1], 10, 203530],
  ['lenet', [28, 28, 1], 10, 61706],
  ['lenet-bn', [28, 28, 1], 10, 44878],
  ['alexnet', [224, 224, 1], 10, 46764746],
  ['vgg11', [224, 224, 1], 10, 128806154],
  ['vgg11-small', [224, 224, 1], 10, 43093322],
  ['nin', [224, 224, 1], 10, 1992166],
  ['googlenet', [96, 96, 1], 10, 5977530],
  ['resnet18', [96, 96, 1], 10, 11178378],
  ['resnet34', [96, 96, 1], 10, 21290250],
  ['resnet50', [224, 224, 3], 1000, 25557032],
  ['densenet', [96, 96, 1], 10, 758226],
];

const tmp = mkdtempSync(join(tmpdir(), 'dlpipe-vision-models-'));
before(async () => {
  await tf.setBackend('cpu');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('the zoo', () => {
  for (const [name, inputShape, numClasses, params] of TORCH) {
    it(`${name}: ${params} parameters as PyTorch, output [n, ${numClasses}]`, () => {
      const net = createModel(name, { inputShape, numClasses });
      assert.equal(countParameters(net), params);
      assert.deepEqual(net.outputs[0]?.shape, [null, numClasses]);
      net.dispose();
    });
  }

  it('runs forward with PyTorch output sizes (LeNet-BN 28×28: 16·4·4 features; ResNet-18 at 64×64)', () => {
    const net = createModel('lenet-bn');
    const flat = net.layers.find((l) => l.getClassName() === 'Flatten');
    assert.deepEqual(flat?.outputShape, [null, 256]);
    const r = createModel('resnet18', { inputShape: [64, 64, 3], numClasses: 5 });
    const y = r.predict(tf.zeros([2, 64, 64, 3])) as tf.Tensor;
    assert.deepEqual(y.shape, [2, 5]);
    // ResNet-18's last stage at 64×64 input is 2×2 (64/32), as PyTorch
    const last = r.layers.filter((l) => l.getClassName() === 'Add').at(-1);
    assert.deepEqual(last?.outputShape, [null, 2, 2, 512]);
  });

  it("initializes as d2l's init_cnn on PyTorch layers: Xavier-uniform kernels, U(±1/√fanIn) biases", () => {
    // d2l §7.6: nn.init.xavier_uniform_(module.weight) on Linear/Conv2d; biases keep PyTorch's
    // default from reset_parameters(), U(-1/√fanIn, 1/√fanIn) with fanIn = in_channels·k·k or in_features
    const net = createModel('lenet');
    const layers = net.layers.filter((l) => ['Conv2D', 'Dense'].includes(l.getClassName()));
    const fans: Array<[number, number]> = [
      [1 * 25, 6 * 25],
      [6 * 25, 16 * 25],
      [400, 120],
      [120, 84],
      [84, 10],
    ];
    assert.equal(layers.length, fans.length);
    for (const [i, l] of layers.entries()) {
      const [fanIn, fanOut] = fans[i]!;
      const [kernel, bias] = l.getWeights().map((w) => Array.from(w.dataSync()));
      const xavier = Math.sqrt(6 / (fanIn + fanOut));
      const b = 1 / Math.sqrt(fanIn);
      assert.ok(
        kernel!.every((v) => Math.abs(v) <= xavier),
        `${l.name} kernel within ±${xavier}`,
      );
      // and reaching its edges (≥ 150 uniform draws all below 0.9·bound: p < 1e-6; tfjs's default
      // glorotNormal is truncated at 2σ = 1.15·bound, so it fails the line above instead)
      assert.ok(Math.max(...kernel!.map(Math.abs)) > 0.9 * xavier, `${l.name} kernel spread over ±${xavier}`);
      assert.ok(
        bias!.every((v) => Math.abs(v) <= b),
        `${l.name} bias within ±${b}`,
      );
      // uniform over the range, not zeros: the largest of ≥ 6 draws is beyond a fifth of the bound
      assert.ok(Math.max(...bias!.map(Math.abs)) > b / 5, `${l.name} biases spread over ±${b}`);
    }
    net.dispose();
  });

  it('saves and loads a model with identical outputs', async () => {
    const net = createModel('googlenet', { inputShape: [32, 32, 3], numClasses: 4 });
    const x = tf.randomUniform([1, 32, 32, 3]);
    const before = (net.predict(x) as tf.Tensor).dataSync();
    await saveModel(net, join(tmp, 'g'));
    const back = await loadModel(join(tmp, 'g'));
    assert.deepEqual((back.predict(x) as tf.Tensor).dataSync(), before);
  });

  it('rejects unknown names, too-small inputs and mismatched channels clearly', () => {
    assert.throws(
      () => createModel('resnet19'),
      (e: unknown) =>
        e instanceof ModelConfigError && /unknown model 'resnet19'; known: mlp, lenet/.test(e.message),
    );
    assert.throws(
      () => createModel('alexnet', { inputShape: [28, 28, 1] }),
      /alexnet cannot take 28×28×1 inputs .*use at least its default 224×224×1/,
    );
    const net = createModel('lenet');
    assert.throws(
      () => checkInput(net, [8, 28, 28, 3]),
      (e: unknown) =>
        e instanceof ImageShapeError && /have 3 channel\(s\) but the model takes 1/.test(e.message),
    );
    assert.throws(() => checkInput(net, [8, 32, 32, 1]), /resize the images to 28×28/);
    checkInput(net, [8, 28, 28, 1]);
  });
});
