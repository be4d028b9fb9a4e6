/**
 * COCO's box IoU (pycocotools `maskUtils.iou` on boxes, C `bbIou`): for a crowd GT region the
 * overlap is intersection / detection area, so a detection inside a crowd counts as matching it.
 * Boxes are COCO `[x, y, w, h]`; the areas here are the boxes' w·h, whatever `area` says.
 *
 *   cocoBoxIou([[0, 0, 10, 10]], [[5, 0, 10, 10], [0, 0, 100, 100]], [false, true]);
 *   // Float64Array [1/3, 1] — row d holds detection d against every GT
 */
import type { CocoBox } from '../formats/coco-schema.js';

/** IoU of every detection (rows) with every GT box (columns), D×G row-major. */
export function cocoBoxIou(
  dts: readonly CocoBox[],
  gts: readonly CocoBox[],
  iscrowd: readonly boolean[],
): Float64Array {
  const D = dts.length;
  const G = gts.length;
  const o = new Float64Array(D * G);
  for (let g = 0; g < G; g++) {
    const [gx, gy, gw, gh] = gts[g]!;
    const ga = gw * gh;
    const crowd = iscrowd[g] === true;
    for (let d = 0; d < D; d++) {
      const [dx, dy, dw, dh] = dts[d]!;
      const w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
      if (w <= 0) continue;
      const h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
      if (h <= 0) continue;
      const da = dw * dh;
      const i = w * h;
      o[d * G + g] = i / (crowd ? da : da + ga - i);
    }
  }
  return o;
}
