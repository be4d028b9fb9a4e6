/**
 * The `native` backend's storage: tfjs's cpu backend (one contiguous typed array per tensor) with
 * a pool that reuses the float32 arrays of disposed tensors for the outputs of native kernels
 * (buffer-pool.ts). The overrides tell the pool when an array becomes a tensor's storage or is
 * released, and read pooled storage out as a copy.
 *
 *   DLPIPE_POOL_MB=0 pnpm vision train …   // no reuse: every output a fresh array
 */
import { totalmem } from 'node:os';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type * as tf from '../../tf.js';
import { BufferPool } from './buffer-pool.js';

/** Most bytes kept in free arrays: `DLPIPE_POOL_MB`, else an eighth of RAM up to 2 GiB. */
export function poolBytes(env: NodeJS.ProcessEnv = process.env): number {
  const mb = env.DLPIPE_POOL_MB;
  if (mb !== undefined && mb.trim() !== '') {
    const n = Number(mb);
    if (Number.isFinite(n) && n >= 0) return Math.floor(n * 2 ** 20);
  }
  return Math.min(2 ** 31, Math.floor(totalmem() / 8));
}

type Values = Parameters<MathBackendCPU['write']>[0];

export class NativeBackend extends MathBackendCPU {
  readonly pool = new BufferPool(poolBytes());

  override write(values: Values, shape: number[], dtype: tf.DataType): tf.DataId {
    const id = super.write(values, shape, dtype);
    this.pool.registered(values);
    return id;
  }

  override move(
    dataId: tf.DataId,
    values: Values,
    shape: number[],
    dtype: tf.DataType,
    refCount: number,
  ): void {
    super.move(dataId, values, shape, dtype, refCount);
    this.pool.registered(values);
  }

  /**
   * The values of a tensor whose storage the pool owns are read out as a copy, so the array can
   * still be reused (and nobody can change a tensor by writing into what `dataSync()` returned);
   * any other storage is returned as the cpu backend does, the array itself.
   */
  override readSync(dataId: tf.DataId): tf.BackendValues {
    const values = super.readSync(dataId);
    return this.pool.owns(values) ? (values as Float32Array).slice() : values;
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const entry = this.data.get(dataId);
    const done = super.disposeData(dataId, force);
    if (entry && done && !this.data.has(dataId)) this.pool.released(entry.values);
    return done;
  }
}

/** The pool of the backend `b` when it is the native one (kernels call this with their backend). */
export function poolOf(b: unknown): BufferPool | undefined {
  return b instanceof NativeBackend ? b.pool : undefined;
}
