/**
 * Boxes, anchors, NMS and RoI ops (d2l §14.3–14.8, torchvision.ops semantics).
 */
export * from './anchors.js';
export * from './box-convert.js';
export * from './box-iou.js';
export * from './box-offsets.js';
export { DetectionError } from './errors.js';
export * from './multibox-detection.js';
export * from './multibox-target.js';
export * from './nms.js';
export * from './roi-align.js';
export * from './roi-pool.js';
