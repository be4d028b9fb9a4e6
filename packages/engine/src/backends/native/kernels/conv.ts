/**
 * The Conv2D family on oneDNN: Conv2D, FusedConv2D, Conv2DBackpropInput/Filter and the depthwise
 * kernels (as grouped convolutions), NHWC or NCHW. Geometry comes from tfjs's own
 * `computeConv2DInfo`, so padding modes, strides, dilations and rounding match the cpu kernels.
 */
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { attrsOf } from '../../../kernel-args.js';
import * as tf from '../../../tf.js';
import type { NativeAddon } from '../addon.js';
import type { FallbackReason } from '../dispatch-counts.js';
import {
  ACTIVATION_CODES,
  f32,
  fallback,
  type KernelArgs,
  outArray,
  output,
  sizeOf,
  type TensorInfo,
  whyNotF32,
} from './util.js';

type ConvInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  leakyreluAlpha?: number;
}

function convInfo(xShape: number[], fShape: number[], a: ConvAttrs, depthwise: boolean): ConvInfo {
  const format = tf.backend_util.convertConv2DDataFormat(a.dataFormat ?? 'NHWC');
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    fShape as [number, number, number, number],
    a.strides,
    a.dilations ?? 1,
    a.pad,
    a.dimRoundingMode,
    depthwise,
    format,
  );
}

/** The addon's geometry vector, or why oneDNN cannot take it (negative padding, a zero size). */
function geom(c: ConvInfo, groups: number): number[] | FallbackReason {
  const effH = (c.filterHeight - 1) * c.dilationHeight + 1;
  const effW = (c.filterWidth - 1) * c.dilationWidth + 1;
  const pt = c.padInfo.top;
  const pl = c.padInfo.left;
  // Right/bottom padding so that oneDNN's output size equals tfjs's; a negative value (the last
  // rows are never read, e.g. 1×1 stride-2 'valid' on an even size) becomes 0 when the output
  // size still comes out the same.
  const pb = Math.max(0, (c.outHeight - 1) * c.strideHeight + effH - c.inHeight - pt);
  const pr = Math.max(0, (c.outWidth - 1) * c.strideWidth + effW - c.inWidth - pl);
  const oh = Math.floor((c.inHeight + pt + pb - effH) / c.strideHeight) + 1;
  const ow = Math.floor((c.inWidth + pl + pr - effW) / c.strideWidth) + 1;
  if (pt < 0 || pl < 0 || oh !== c.outHeight || ow !== c.outWidth) return 'shape';
  if (c.batchSize * c.outHeight * c.outWidth * c.outChannels * c.inChannels === 0) return 'empty';
  return [
    c.batchSize,
    c.inHeight,
    c.inWidth,
    c.inChannels,
    c.outHeight,
    c.outWidth,
    c.outChannels,
    c.filterHeight,
    c.filterWidth,
    c.strideHeight,
    c.strideWidth,
    c.dilationHeight,
    c.dilationWidth,
    pt,
    pl,
    pb,
    pr,
    groups,
    c.dataFormat === 'channelsFirst' ? 1 : 0,
  ];
}

/**
 * The id of a tensor's data, which tfjs's cpu storage numbers uniquely and never changes the
 * values of: the addon keeps reordered filters by it (conv.cc's WeightMove); 0 if unknown.
 */
function dataIdNumber(t: TensorInfo): number {
  const id = (t.dataId as { id?: unknown }).id;
  return typeof id === 'number' && id > 0 ? id : 0;
}

function outShape(c: ConvInfo): number[] {
  return c.dataFormat === 'channelsFirst'
    ? [c.batchSize, c.outChannels, c.outHeight, c.outWidth]
    : [c.batchSize, c.outHeight, c.outWidth, c.outChannels];
}

export function convKernels(addon: NativeAddon): Record<string, tf.KernelFunc> {
  const forward = (args: KernelArgs, name: string, depthwise: boolean, fused: boolean) => {
    const backend = args.backend as MathBackendCPU;
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const a = attrsOf<ConvAttrs>(args.attrs);
    const xv = f32(backend, x!);
    const fv = f32(backend, filter!);
    const c = convInfo(x!.shape, filter!.shape, a, depthwise);
    const g = geom(c, depthwise ? c.inChannels : 1);
    const act = fused ? ACTIVATION_CODES[a.activation ?? 'linear'] : 0;
    const bv = bias ? f32(backend, bias) : null;
    const badBias = bias !== undefined && (!bv || bv.length !== c.outChannels);
    if (!xv || !fv) return fallback(name, args, whyNotF32(x, filter));
    if (act === undefined || preluActivationWeights || badBias) return fallback(name, args, 'attr');
    if (typeof g === 'string') return fallback(name, args, g);
    const out = outArray(backend, sizeOf(outShape(c)));
    addon.conv2d(xv, fv, out, g, bv ?? null, act, a.leakyreluAlpha ?? 0.2, dataIdNumber(filter!));
    return output(backend, outShape(c), out);
  };

  /** dx (of 'input': dy and filter → inputShape) or dW (of 'filter': x and dy → filterShape). */
  const backprop = (args: KernelArgs, name: string, depthwise: boolean, of: 'input' | 'filter') => {
    const backend = args.backend as MathBackendCPU;
    const { x, dy, filter } = args.inputs as Record<string, TensorInfo>;
    const a = attrsOf<ConvAttrs & { inputShape: number[]; filterShape: number[] }>(args.attrs);
    const [xShape, fShape] = of === 'input' ? [a.inputShape, filter!.shape] : [x!.shape, a.filterShape];
    const [first, second] = (of === 'input' ? [dy!, filter!] : [x!, dy!]).map((t) => f32(backend, t));
    const c = convInfo(xShape, fShape, a, depthwise);
    const g = geom(c, depthwise ? c.inChannels : 1);
    if (!first || !second) return fallback(name, args, whyNotF32(x, dy, filter));
    if (typeof g === 'string') return fallback(name, args, g);
    const shape = of === 'input' ? xShape : fShape;
    const out = outArray(backend, sizeOf(shape));
    if (of === 'input') addon.conv2dBackpropInput(first, second, out, g, dataIdNumber(filter!));
    else addon.conv2dBackpropFilter(first, second, out, g);
    return output(backend, [...shape], out);
  };

  return {
    Conv2D: (args) => forward(args, 'Conv2D', false, false),
    FusedConv2D: (args) => forward(args, 'FusedConv2D', false, true),
    DepthwiseConv2dNative: (args) => forward(args, 'DepthwiseConv2dNative', true, false),
    FusedDepthwiseConv2D: (args) => forward(args, 'FusedDepthwiseConv2D', true, true),
    Conv2DBackpropInput: (args) => backprop(args, 'Conv2DBackpropInput', false, 'input'),
    DepthwiseConv2dNativeBackpropInput: (args) =>
      backprop(args, 'DepthwiseConv2dNativeBackpropInput', true, 'input'),
    Conv2DBackpropFilter: (args) => backprop(args, 'Conv2DBackpropFilter', false, 'filter'),
    DepthwiseConv2dNativeBackpropFilter: (args) =>
      backprop(args, 'DepthwiseConv2dNativeBackpropFilter', true, 'filter'),
  };
}
