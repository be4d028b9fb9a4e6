/**
 * Reuse of the float32 storage of disposed tensors. A fresh `Float32Array` of a few MB costs
 * more than most kernels that fill it: the pages come zeroed from the kernel and fault in on
 * first touch (a ReLU of 2.4M floats: 3.7 ms into a fresh array, 0.3 ms into a reused one).
 * Training repeats the same shapes every step, so the arrays a step frees are the ones the next
 * step asks for; the pool keeps them, by exact length, up to a byte cap.
 *
 * An array is only reused when nothing else can still see it. The pool hands out arrays it made
 * itself (never a user's); it counts the tensors whose storage is the array or a view of it (the
 * cpu backend's contiguous Slice shares storage), so the array returns to the pool only when all
 * of them are gone. An array read out (`dataSync()` hands out the storage itself,
 * native-backend.ts) is marked `escaped` and never reused.
 *
 *   const pool = new BufferPool(512 << 20);
 *   const out = pool.take(n);          // stale contents: the kernel must write every element
 *   const acc = pool.takeZeroed(n);    // for kernels that accumulate
 */

/** What the pool knows of an array it made. */
interface Owned {
  owner: Float32Array;
  /** Tensors whose storage is `owner`. */
  live: number;
  /** Seen outside the backend: never reused. */
  escaped: boolean;
}

/** Counters of a pool (for tests and the bench). */
export interface BufferPoolStats {
  /** Arrays served from the pool. */
  hits: number;
  /** Arrays newly made because none of that length was free. */
  misses: number;
  /** Arrays that escaped and will not come back. */
  escaped: number;
  /** Released arrays dropped because the pool was full. */
  dropped: number;
  /** Bytes held by free arrays now. */
  freeBytes: number;
  /** Free arrays now. */
  freeArrays: number;
}

/** Arrays shorter than this are made fresh: V8 serves them from its heap cheaply. */
export const MIN_POOLED_LENGTH = 1024;

/**
 * Free arrays of a length nobody asked for in this many takes are dropped (checked every this
 * many takes): after one model's training, another's shapes should not keep its arrays alive.
 * A ResNet-18 step takes about 170 arrays, a Transformer step 510.
 */
export const IDLE_TAKES = 8192;

export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly owned = new WeakMap<ArrayBufferLike, Owned>();
  private freeBytes = 0;
  private readonly counts = { hits: 0, misses: 0, escaped: 0, dropped: 0 };
  /** Takes so far, and the take at which each length was last asked for. */
  private takes = 0;
  private readonly lastAsked = new Map<number, number>();

  /** @param maxFreeBytes most bytes kept in free arrays; 0 turns reuse off. */
  constructor(readonly maxFreeBytes: number) {}

  /** An array of `length` floats with stale contents: the caller must write every element. */
  take(length: number): Float32Array {
    return this.reuse(length) ?? this.make(length);
  }

  /** An array of `length` zeros (a fresh array is zero already; a reused one is cleared). */
  takeZeroed(length: number): Float32Array {
    return this.reuse(length)?.fill(0) ?? this.make(length);
  }

  /** `values` (an array of the pool's, or a view of one) became a tensor's storage (`write` / `move`). */
  registered(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    const o = this.owned.get(values.buffer);
    if (o) o.live++; // a view counts as a user of its whole array
  }

  /** `values` was handed outside the backend (read out): never reuse its array. */
  escaped(values: unknown): void {
    if (!ArrayBuffer.isView(values)) return;
    const o = this.owned.get(values.buffer);
    if (o) this.escape(o);
  }

  /** A tensor whose storage was `values` (an array of the pool's, or a view of one) is gone. */
  released(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    const o = this.owned.get(values.buffer);
    if (!o) return;
    o.live = Math.max(0, o.live - 1);
    if (o.live > 0 || o.escaped) return;
    const array = o.owner;
    if (this.freeBytes + array.byteLength > this.maxFreeBytes) {
      this.counts.dropped++;
      this.owned.delete(array.buffer);
      return;
    }
    let list = this.free.get(array.length);
    if (!list) {
      list = [];
      this.free.set(array.length, list);
    }
    list.push(array);
    this.freeBytes += array.byteLength;
  }

  /** Drops every free array (their memory goes back at the next garbage collection). */
  clear(): void {
    for (const list of this.free.values()) for (const a of list) this.owned.delete(a.buffer);
    this.free.clear();
    this.freeBytes = 0;
  }

  stats(): BufferPoolStats {
    let freeArrays = 0;
    for (const list of this.free.values()) freeArrays += list.length;
    return { ...this.counts, freeBytes: this.freeBytes, freeArrays };
  }

  private reuse(length: number): Float32Array | undefined {
    if (length < MIN_POOLED_LENGTH) return undefined;
    this.takes++;
    this.lastAsked.set(length, this.takes);
    if (this.takes % IDLE_TAKES === 0) this.dropIdle();
    const reused = this.free.get(length)?.pop();
    if (reused) {
      this.counts.hits++;
      this.freeBytes -= reused.byteLength;
    }
    return reused;
  }

  private make(length: number): Float32Array {
    const made = new Float32Array(length);
    if (length >= MIN_POOLED_LENGTH && this.maxFreeBytes > 0) {
      this.counts.misses++;
      this.owned.set(made.buffer, { owner: made, live: 0, escaped: false });
    }
    return made;
  }

  /** Drops the free arrays of lengths not asked for in the last IDLE_TAKES takes. */
  private dropIdle(): void {
    for (const [length, list] of this.free) {
      if ((this.lastAsked.get(length) ?? 0) > this.takes - IDLE_TAKES) continue;
      for (const a of list) {
        this.owned.delete(a.buffer);
        this.freeBytes -= a.byteLength;
        this.counts.dropped++;
      }
      this.free.delete(length);
      this.lastAsked.delete(length);
    }
  }

  private escape(o: Owned): void {
    if (o.escaped) return;
    o.escaped = true;
    this.counts.escaped++;
  }
}
