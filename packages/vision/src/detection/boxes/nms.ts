/**
 * Non-maximum suppression with torchvision's semantics (`ops.nms`, `ops.batched_nms`; d2l
 * §14.4.4): visit boxes by decreasing score, keep one unless it overlaps an already kept box with
 * IoU > iouThreshold (an IoU exactly at the threshold is kept). Equal scores go by index.
 *
 *   const boxes = tf.tensor2d([[0, 0, 2, 2], [0.1, 0, 2, 2], [3, 3, 4, 4]]);
 *   const keep = await nms(boxes, tf.tensor1d([0.9, 0.8, 0.7]), 0.5);
 *   keep.print(); // [0, 2]: box 1 overlaps box 0 with IoU 0.95
 *
 * The IoU of the sorted boxes is computed as tensor ops in blocks of rows (at most ~1M values at
 * a time; only rows not yet suppressed, only against lower-scored boxes) and read back; the
 * greedy pass then runs over those typed arrays.
 */
import { tf } from '@dlpipe/tensor';
import { boxIouUnchecked } from './box-iou.js';
import { checkCornerBoxes, checkScores, checkShape, DetectionError } from './errors.js';

const BLOCK_VALUES = 1 << 20;

function checkThreshold(iouThreshold: number, fn: string): void {
  if (!Number.isFinite(iouThreshold)) {
    throw new DetectionError(
      `${fn} iouThreshold: expected a finite number (usually in [0, 1]), received ${iouThreshold}`,
    );
  }
}

function checkInputs(boxes: tf.Tensor2D, scores: tf.Tensor1D, fn: string): void {
  checkShape(scores, `${fn} scores`, 1);
  checkCornerBoxes(boxes, `${fn} boxes`);
  if (boxes.shape[0] !== scores.shape[0]) {
    throw new DetectionError(
      `${fn}: ${boxes.shape[0]} boxes but ${scores.shape[0]} scores; pass one score per box`,
    );
  }
}

/** Indices sorted by score, highest first, ties by lower index. */
function scoreOrder(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((i, j) => (scores[j] as number) - (scores[i] as number) || i - j);
}

/** IoU [rows.length, n − from] of the sorted boxes `rows` against sorted boxes from `from` on. */
async function blockIou(sorted: tf.Tensor2D, rows: number[], from: number): Promise<Float32Array> {
  if (rows.length === 0) return new Float32Array(0);
  const t = tf.tidy(() => {
    const picked = tf.gather(sorted, tf.tensor1d(rows, 'int32')) as tf.Tensor2D;
    return boxIouUnchecked(picked, sorted.slice([from, 0], [-1, 4]) as tf.Tensor2D);
  });
  const values = (await t.data()) as Float32Array;
  t.dispose();
  return values;
}

/**
 * The greedy pass: `classes` (optional) restricts suppression to boxes of the same class.
 * Returns the kept original indices, highest score first.
 */
async function greedyNms(
  boxes: tf.Tensor2D,
  scores: ArrayLike<number>,
  iouThreshold: number,
  classes?: ArrayLike<number>,
): Promise<Int32Array> {
  const n = scores.length;
  const order = scoreOrder(scores);
  const orderT = tf.tensor1d(order, 'int32');
  const sorted = tf.gather(boxes, orderT) as tf.Tensor2D;
  orderT.dispose();
  const suppressed = new Uint8Array(n);
  const kept: number[] = [];
  try {
    for (let r0 = 0; r0 < n; ) {
      // The next block of rows still standing, against the boxes from r0 on (upper triangle).
      const cols = n - r0;
      const rows: number[] = [];
      let r1 = r0;
      for (; r1 < n && rows.length * cols < BLOCK_VALUES; r1++) if (!suppressed[r1]) rows.push(r1);
      const iou = await blockIou(sorted, rows, r0);
      rows.forEach((i, b) => {
        if (suppressed[i]) return;
        kept.push(order[i] as number);
        const cls = classes?.[order[i] as number];
        for (let j = i + 1; j < n; j++) {
          const over = (iou[b * cols + j - r0] as number) > iouThreshold;
          if (over && (cls === undefined || classes?.[order[j] as number] === cls)) suppressed[j] = 1;
        }
      });
      r0 = r1;
    }
  } finally {
    sorted.dispose();
  }
  return Int32Array.from(kept);
}

/** torchvision's `nms`: boxes [N, 4] (corner), scores [N] → kept indices int32 [K], highest score first. */
export async function nms(
  boxes: tf.Tensor2D,
  scores: tf.Tensor1D,
  iouThreshold: number,
): Promise<tf.Tensor1D> {
  checkThreshold(iouThreshold, 'nms');
  checkInputs(boxes, scores, 'nms');
  const s = await scores.data();
  checkScores(s, 'nms scores');
  return tf.tensor1d(await greedyNms(boxes, s, iouThreshold), 'int32');
}

/**
 * torchvision's `batched_nms`: NMS within each class of `idxs` [N] (integers), never across
 * classes; kept indices int32, highest score first over all classes.
 */
export async function batchedNms(
  boxes: tf.Tensor2D,
  scores: tf.Tensor1D,
  idxs: tf.Tensor1D,
  iouThreshold: number,
): Promise<tf.Tensor1D> {
  checkThreshold(iouThreshold, 'batchedNms');
  checkInputs(boxes, scores, 'batchedNms');
  checkShape(idxs, 'batchedNms idxs', 1);
  if (idxs.shape[0] !== scores.shape[0]) {
    throw new DetectionError(
      `batchedNms: ${scores.shape[0]} scores but ${idxs.shape[0]} idxs; pass one class index per box`,
    );
  }
  const [s, c] = await Promise.all([scores.data(), idxs.data()]);
  checkScores(s, 'batchedNms scores');
  return tf.tensor1d(await greedyNms(boxes, s, iouThreshold, c), 'int32');
}
