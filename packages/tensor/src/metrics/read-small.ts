/**
 * Reads back a small reduction (a count, a sum, a confusion matrix) computed in tf.tidy, and frees
 * it: the one way the streaming metrics move numbers off the device.
 *
 *   const [correct] = readSmall(() => tf.sum(tf.cast(tf.equal(a, b), 'int32')));
 */
import { tf } from '@dlpipe/engine';

/** Runs `fn` in tf.tidy, reads its result with dataSync and disposes it. */
export function readSmall(fn: () => tf.Tensor): number[] {
  const t = tf.tidy(fn);
  try {
    return Array.from(t.dataSync() as ArrayLike<number>);
  } finally {
    t.dispose();
  }
}
