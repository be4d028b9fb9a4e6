/** Shared helpers of the wasm-kernel tests: seeded inputs, running on a backend, tolerances, conv cases. */
import assert from 'node:assert/strict';
import * as tf from '../../tf.js';
import { registerWasmTrainingKernels } from './index.js';

/** Loads the wasm backend with dlpipe's training kernels and makes it active. */
export async function setupWasm(): Promise<void> {
  await import('@tensorflow/tfjs-backend-wasm');
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
}

export const RTOL = 1e-4;

export type Shape4 = [number, number, number, number];
export type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
export type Rounding = 'floor' | 'round' | 'ceil';

export interface Result {
  shape: number[];
  dtype: tf.DataType;
  values: ArrayLike<number>;
}

/** Uniform values in [-1, 1) from a linear congruential generator. */
export function randomValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32) * 2 - 1;
  }
  return out;
}

export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape);
}

/** Runs `fn` on `backend` and reads back what it returns. */
export async function on(backend: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  await tf.setBackend(backend);
  const made = tf.tidy(fn);
  const outs = Array.isArray(made) ? made : [made];
  const results = outs.map((t) => ({ shape: t.shape, dtype: t.dtype, values: t.dataSync() }));
  tf.dispose(outs);
  return results;
}

export function rms(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! ** 2;
  return values.length === 0 ? 0 : Math.sqrt(sum / values.length);
}

export function assertClose(actual: Result, expected: Result, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  const atol = RTOL * rms(expected.values);
  for (let i = 0; i < expected.values.length; i++) {
    const a = actual.values[i]!;
    const e = expected.values[i]!;
    if (!(Math.abs(a - e) <= atol + RTOL * Math.abs(e))) {
      assert.fail(
        `${what}: element ${i} is ${a} on wasm, ${e} on cpu (tolerance ${atol + RTOL * Math.abs(e)})`,
      );
    }
  }
}

/** Runs `fn` on cpu and on wasm and checks that every output agrees. */
export async function sameOnBoth(what: string, fn: () => tf.Tensor | tf.Tensor[]): Promise<Result[]> {
  const cpu = await on('cpu', fn);
  const wasm = await on('wasm', fn);
  assert.equal(wasm.length, cpu.length, `${what}: number of outputs`);
  for (const [i, c] of cpu.entries()) assertClose(wasm[i]!, c, `${what} output ${i}`);
  return wasm;
}

export function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap);
}

export interface ConvCase {
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: Pad;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: Rounding;
  dilations?: number | [number, number];
}

export function label(c: ConvCase): string {
  const pad = typeof c.pad === 'object' ? JSON.stringify(c.pad) : c.pad;
  const extras = [c.dataFormat, c.dimRoundingMode, c.dilations && `dil ${c.dilations}`].filter(Boolean);
  return `x [${c.x}] w [${c.filter}] s ${c.strides} pad ${pad} ${extras.join(' ')}`.trim();
}

export function outShapeOf(c: ConvCase, depthwise: boolean): Shape4 {
  return convInfoOf(c, depthwise).outShape;
}

export function convInfoOf(c: ConvCase, depthwise: boolean): tf.backend_util.Conv2DInfo {
  const format = tf.backend_util.convertConv2DDataFormat(c.dataFormat ?? 'NHWC');
  return tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    c.dilations ?? 1,
    c.pad,
    c.dimRoundingMode,
    depthwise,
    format,
  );
}

export function convAttrs(c: ConvCase): Record<string, unknown> {
  const attrs: Record<string, unknown> = { strides: c.strides, pad: c.pad, dilations: c.dilations ?? 1 };
  if (c.dimRoundingMode !== undefined) attrs.dimRoundingMode = c.dimRoundingMode;
  return attrs;
}
