/**
 * The `native` backend's storage: tfjs's cpu backend (one contiguous typed array per tensor) with
 * a pool that reuses the float32 arrays of disposed tensors for the outputs of native kernels
 * (buffer-pool.ts). The overrides tell the pool when an array becomes a tensor's storage, is
 * released, or is read out (and so never reused).
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
  /** Reads by the cpu backend's own kernels (`bufferSync`: GatherV2, Reverse …) only look: no escape. */
  private kernelReads = 0;

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
   * The tensor's storage itself, as the cpu backend returns it; an array of the pool's that is read
   * out this way is never reused, so what `dataSync()` returned stays intact after the tensor is
   * disposed. Copying instead cost `tf.matMul` 1024³ + `dataSync()` ~2 ms of its 11 (A/B): the copy
   * is a fresh array too, so handing the storage out costs one allocation less, not one more.
   */
  override readSync(dataId: tf.DataId): tf.BackendValues {
    const values = super.readSync(dataId);
    if (this.kernelReads === 0) this.pool.escaped(values);
    return values;
  }

  override bufferSync<R extends tf.Rank, D extends tf.DataType>(t: tf.TensorInfo): tf.TensorBuffer<R, D> {
    this.kernelReads++;
    try {
      return super.bufferSync<R, D>(t);
    } finally {
      this.kernelReads--;
    }
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
