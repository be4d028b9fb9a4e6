/**
 * Typed errors of the box, anchor, NMS and RoI ops, plus the shape checks they share. Each
 * message names the argument, what was received, what was expected and how to fix it.
 *
 *   try { boxIou(a, b); } catch (e) { if (e instanceof DetectionError) console.error(e.message); }
 */
import { DlpipeError } from '@dlpipe/core';
import { tf } from '@dlpipe/tensor';

/** Boxes, anchors, scores or RoIs that do not fit an op (shape, dtype, negative size, NaN, index range). */
export class DetectionError extends DlpipeError {
  constructor(message: string) {
    super('DETECTION', message);
  }
}

const shapeText = (t: tf.Tensor) => `[${t.shape.join(', ')}]`;

/** Throws unless `t` has `rank` dims and, where `last` is given, that many values in its last dim. */
export function checkShape(t: tf.Tensor, what: string, rank: number, last?: number): void {
  const lastOk = last === undefined || t.shape[t.rank - 1] === last;
  if (t.rank !== rank || !lastOk) {
    const want = `rank ${rank}${last === undefined ? '' : ` with ${last} values in the last dim`}`;
    throw new DetectionError(`${what}: expected ${want}, received shape ${shapeText(t)}`);
  }
}

/**
 * Throws on NaN or on boxes whose x2 < x1 or y2 < y1. `boxes` is [N, 4] corner format; the check
 * runs as tensor ops with one boolean read back, and reads the rows only to name a bad one.
 */
export function checkCornerBoxes(boxes: tf.Tensor2D, what: string): void {
  checkShape(boxes, what, 2, 4);
  if (boxes.shape[0] === 0) return;
  const bad = tf.tidy(() => {
    const [x1, y1, x2, y2] = tf.unstack(boxes, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    return tf.any(tf.logicalOr(tf.logicalOr(tf.less(x2, x1), tf.less(y2, y1)), tf.any(tf.isNaN(boxes), 1)));
  });
  const anyBad = bad.dataSync()[0] === 1;
  bad.dispose();
  if (anyBad) throwBadRow(boxes.dataSync(), what);
}

function throwBadRow(data: ArrayLike<number>, what: string): never {
  for (let i = 0; i * 4 < data.length; i++) {
    const [x1, y1, x2, y2] = Array.from({ length: 4 }, (_, j) => data[i * 4 + j] as number) as [
      number,
      number,
      number,
      number,
    ];
    if ([x1, y1, x2, y2].some(Number.isNaN)) {
      throw new DetectionError(`${what}: row ${i} holds NaN; boxes must be finite numbers`);
    }
    if (x2 < x1 || y2 < y1) {
      throw new DetectionError(
        `${what}: row ${i} is [${x1}, ${y1}, ${x2}, ${y2}] with a negative width or height; ` +
          'boxes are corner format (x1, y1, x2, y2) with x2 >= x1 and y2 >= y1 (convert center boxes with boxCenterToCorner)',
      );
    }
  }
  throw new DetectionError(`${what}: holds a malformed box`);
}

/** Throws on NaN scores. */
export function checkScores(data: ArrayLike<number>, what: string): void {
  for (let i = 0; i < data.length; i++) {
    if (Number.isNaN(data[i])) throw new DetectionError(`${what}: score ${i} is NaN; scores must be numbers`);
  }
}
