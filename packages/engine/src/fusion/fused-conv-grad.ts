/**
 * `tf.fused.conv2d` (what tfjs-layers' Conv2D calls when it has a bias) with a gradient that
 * computes only what backprop asks for. tfjs's version wraps the kernel in `customGrad`, whose
 * gradient computes dx, dfilter and dbias every time: the input gradient of a network's first
 * convolution (of the images, which nothing trains) and the filter gradients of frozen layers
 * are computed and thrown away. Here the op runs the `FusedConv2D` kernel through the engine with
 * a registered kernel gradient of one thunk per input, which backprop calls only for inputs on
 * the path to a trained variable. d2l's ResNet-18 at b64: the first conv's unused input gradient
 * was 60 of 780 ms per step.
 *
 * Covered: NHWC, dilation 1, a linear or relu activation, with or without a bias; anything else
 * (and inference, where no gradient is recorded, and `setOpFusion(false)`) runs tfjs's op. The
 * gradient is tfjs's arithmetic: relu's dy·step(y), Conv2DBackpropInput/Filter, dbias = Σ dy.
 *
 *   tf.fused.conv2d({ x, filter, bias, strides: 2, pad: 'same' });   // as tfjs, lazier gradient
 */
import * as tfc from '@tensorflow/tfjs';
import { opFusionEnabled } from './moments-batch-norm.js';

type FusedConv2DArgs = Parameters<typeof tfc.fused.conv2d>[0];

interface FusedConvAttrs {
  strides: [number, number] | number;
  pad: FusedConv2DArgs['pad'];
  dataFormat: 'NHWC';
  dilations: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation: 'linear' | 'relu';
  /** The bias's shape (for its gradient, which needs no saved bias), or null without one. */
  biasShape: number[] | null;
}

const FUSED_CONV = 'FusedConv2D';
const tfjsFusedConv2d = tfc.fused.conv2d;

function isOne(d: FusedConv2DArgs['dilations']): boolean {
  return d === undefined || d === 1 || (Array.isArray(d) && d.every((v) => v === 1));
}

/** The bias's gradient: dy summed over the axes the bias was broadcast along, in its shape. */
function biasGrad(dy: tfc.Tensor, biasShape: number[]): tfc.Tensor {
  const axes = tfc.backend_util.getReductionAxes(biasShape, dy.shape);
  const summed = axes.length > 0 ? tfc.sum(dy, axes) : dy;
  return tfc.reshape(summed, biasShape);
}

let registered = false;

/** Registers the lazy kernel gradient of `FusedConv2D` (idempotent; tfjs registers none). */
export function registerFusedConvGradient(): void {
  if (registered || tfc.getGradient(FUSED_CONV) !== undefined) return;
  registered = true;
  tfc.registerGradient({
    kernelName: FUSED_CONV,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [tfc.Tensor4D, tfc.Tensor4D, tfc.Tensor4D];
      const a = attrs as unknown as FusedConvAttrs;
      const g = (a.activation === 'relu' ? tfc.mul(dy as tfc.Tensor, tfc.step(y)) : dy) as tfc.Tensor4D;
      const conv = {
        strides: a.strides,
        pad: a.pad,
        dataFormat: a.dataFormat,
        dimRoundingMode: a.dimRoundingMode,
      };
      const engine = tfc.engine();
      return {
        x: () =>
          engine.runKernel('Conv2DBackpropInput', { dy: g, filter }, {
            ...conv,
            inputShape: x.shape,
          } as unknown as tfc.NamedAttrMap) as tfc.Tensor,
        filter: () =>
          engine.runKernel('Conv2DBackpropFilter', { x, dy: g }, {
            ...conv,
            filterShape: filter.shape,
          } as unknown as tfc.NamedAttrMap) as tfc.Tensor,
        bias: () => biasGrad(g, a.biasShape ?? []),
      };
    },
  });
}

/** tfjs's `fused.conv2d` with the lazy gradient where it applies; see the file header. */
export function fusedConv2d(args: FusedConv2DArgs): tfc.Tensor {
  const { x, filter, bias } = args;
  const activation = args.activation ?? 'linear'; // tfjs-layers passes null for "none
  const lazy =
    opFusionEnabled() &&
    tfc.engine().state.gradientDepth > 0 &&
    x instanceof tfc.Tensor &&
    filter instanceof tfc.Tensor &&
    x.rank === 4 &&
    filter.rank === 4 &&
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    (bias === undefined || (bias instanceof tfc.Tensor && bias.dtype === 'float32')) &&
    (activation === 'linear' || activation === 'relu') &&
    (args.dataFormat ?? 'NHWC') === 'NHWC' &&
    isOne(args.dilations) &&
    args.preluActivationWeights == null &&
    tfc.getKernel(FUSED_CONV, tfc.getBackend()) !== undefined;
  if (!lazy) return tfjsFusedConv2d(args);
  const attrs: FusedConvAttrs = {
    strides: args.strides,
    pad: args.pad,
    dataFormat: 'NHWC',
    dilations: args.dilations ?? [1, 1],
    dimRoundingMode: args.dimRoundingMode,
    activation,
    biasShape: bias ? [...bias.shape] : null,
  };
  const inputs: Record<string, tfc.Tensor> = { x, filter };
  if (bias) inputs.bias = bias;
  return tfc.engine().runKernel(FUSED_CONV, inputs, attrs as unknown as tfc.NamedAttrMap) as tfc.Tensor;
}

let installed = false;

/** Puts `fusedConv2d` in place of tfjs's `fused.conv2d`, for tfjs-layers and user code alike (idempotent). */
export function installFusedConvGradient(): void {
  if (installed) return;
  installed = true;
  registerFusedConvGradient();
  (tfc.fused as { conv2d: typeof fusedConv2d }).conv2d = fusedConv2d;
}

installFusedConvGradient();
