/**
 * The 80 object classes of COCO 2017 detection, in the order detectors trained on COCO number
 * them from 0 (COCO's own category ids 1–90 have gaps; this list skips them). CenterNet's class
 * output indexes this list.
 *
 *   COCO_CLASS_NAMES[16]; // 'dog'
 *   cocoClassIds(['dog', 'person']); // [16, 0]
 */
import { DetectionError } from '../boxes/errors.js';

// biome-ignore format: rows of names read better than 80 lines of one name
export const COCO_CLASS_NAMES: readonly string[] = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat',
  'traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog',
  'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella',
  'handbag', 'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball', 'kite',
  'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant',
  'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone',
  'microwave', 'oven', 'toaster', 'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors',
  'teddy bear', 'hair drier', 'toothbrush',
];

/** Class ids (from 0) of COCO class names; an unknown name is an error listing close ones. */
export function cocoClassIds(names: readonly string[]): number[] {
  return names.map((name) => {
    const id = COCO_CLASS_NAMES.indexOf(name.trim().toLowerCase());
    if (id >= 0) return id;
    const key = name.trim().toLowerCase().slice(0, 3);
    const near = COCO_CLASS_NAMES.filter((n) => key && n.includes(key)).slice(0, 5);
    throw new DetectionError(
      `unknown COCO class '${name}'${near.length ? ` (did you mean ${near.map((n) => `'${n}'`).join(', ')}?)` : ''}; ` +
        `expected one of the 80 COCO names: ${COCO_CLASS_NAMES.join(', ')}`,
    );
  });
}
