/**
 * Typed views of a kernel's inputs and attributes. tfjs hands every kernel an untyped
 * `NamedTensorInfoMap` and `NamedAttrMap`, and takes attributes back the same way; each kernel
 * knows its own shapes, so these three functions are the one place that says so. The casts
 * cannot be checked by the compiler: tfjs looks kernels up by name, not by type.
 *
 *   const a = attrsOf<ConvAttrs>(args.attrs);
 *   tf.engine().runKernel(SGD_UPDATE, inputs, asAttrMap(attrs));
 */
import type { NamedAttrMap, NamedTensorInfoMap } from '@tensorflow/tfjs-core';

/** A kernel's attributes as the interface its op passes. */
export function attrsOf<T>(attrs: NamedAttrMap | undefined): T {
  return attrs as unknown as T;
}

/** A kernel's inputs as the record (or list) its op passes. */
export function inputsOf<T>(inputs: NamedTensorInfoMap): T {
  return inputs as unknown as T;
}

/** Typed attributes as tfjs's untyped map, for `runKernel`. */
export function asAttrMap(attrs: object): NamedAttrMap {
  return attrs as unknown as NamedAttrMap;
}
