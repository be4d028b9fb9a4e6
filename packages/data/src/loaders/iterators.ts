/**
 * Small async-iterator building blocks for input pipelines (tf.data's batch / shuffle / prefetch):
 * a seeded shuffle buffer for streams too big to permute, fixed-size batching, and prefetching
 * that keeps the next items loading while the current one trains.
 *
 *   for await (const b of prefetch(batchItems(shuffleBuffer(rows, 10_000, rng), 256), 2)) …
 */
import { OptionsError, type Rng } from '@dlpipe/core';

type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;

/** Items in random order using a buffer of `size` (exact permutation when size >= the stream). */
export async function* shuffleBuffer<T>(src: AnyIterable<T>, size: number, rng: Rng): AsyncGenerator<T> {
  if (!(size >= 1)) throw new OptionsError(`shuffle buffer size must be >= 1, got ${size}`);
  const buf: T[] = [];
  for await (const item of src) {
    if (buf.length < size) {
      buf.push(item);
      continue;
    }
    const j = rng.int(size);
    yield buf[j]!;
    buf[j] = item;
  }
  rng.shuffle(buf);
  yield* buf;
}

/** Groups items into arrays of `size` (the last may be shorter unless dropRemainder). */
export async function* batchItems<T>(
  src: AnyIterable<T>,
  size: number,
  dropRemainder = false,
): AsyncGenerator<T[]> {
  if (!(size >= 1)) throw new OptionsError(`batch size must be >= 1, got ${size}`);
  let batch: T[] = [];
  for await (const item of src) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0 && !dropRemainder) yield batch;
}

/**
 * Reads up to `n` items ahead of the consumer. Errors surface at the item where they happened;
 * stopping early (break) stops the producer.
 */
export async function* prefetch<T>(src: AnyIterable<T>, n = 2): AsyncGenerator<T> {
  const it =
    Symbol.asyncIterator in src ? src[Symbol.asyncIterator]() : (src as Iterable<T>)[Symbol.iterator]();
  const queue: Array<Promise<IteratorResult<T>>> = [];
  const pull = () => {
    const p = Promise.resolve(it.next());
    p.catch(() => undefined); // surfaced when awaited below
    queue.push(p);
  };
  try {
    for (let i = 0; i < Math.max(1, n); i++) pull();
    while (true) {
      const r = await queue.shift()!;
      if (r.done) return;
      pull();
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}
