/**
 * A tiny detection set for the YOLO tests: flat squares of two colours (class 0 red, class 1
 * green) on a grey background, `n` images of `size` px with one or two objects each, as d2l's
 * batches (`x` [n, size, size, 3] in [0, 1], `y` [n, 2, 5] normalized corners, padding −1).
 *
 *   const { x, y, boxes } = squaresBatch(4, 64);
 */
import { tf } from '@dlpipe/tensor';

/** Label rows (class, x1, y1, x2, y2) normalized, per image (fixed, so tests repeat). */
export const SQUARES: number[][][] = [
  [
    [0, 0.1, 0.1, 0.45, 0.45],
    [1, 0.55, 0.5, 0.9, 0.9],
  ],
  [[1, 0.2, 0.3, 0.7, 0.8]],
  [
    [0, 0.5, 0.05, 0.95, 0.4],
    [1, 0.05, 0.55, 0.4, 0.95],
  ],
  [[0, 0.3, 0.25, 0.75, 0.7]],
];

const COLOURS = [
  [0.9, 0.1, 0.1],
  [0.1, 0.8, 0.2],
];

/** `n` (≤ 4) images of `size` px and their padded labels. */
export function squaresBatch(n: number, size: number): { x: tf.Tensor4D; y: tf.Tensor3D } {
  const px = new Float32Array(n * size * size * 3).fill(0.5);
  const y = new Float32Array(n * 2 * 5).fill(-1);
  SQUARES.slice(0, n).forEach((objs, i) => {
    objs.forEach((row, j) => {
      y.set(row, (i * 2 + j) * 5);
      const [c, x1, y1, x2, y2] = row as [number, number, number, number, number];
      for (let r = Math.round(y1 * size); r < Math.round(y2 * size); r++) {
        for (let q = Math.round(x1 * size); q < Math.round(x2 * size); q++) {
          px.set(COLOURS[c]!, ((i * size + r) * size + q) * 3);
        }
      }
    });
  });
  return { x: tf.tensor4d(px, [n, size, size, 3]), y: tf.tensor3d(y, [n, 2, 5]) };
}
