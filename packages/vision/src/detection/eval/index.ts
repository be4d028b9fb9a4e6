/**
 * Detection evaluation: COCO mAP equal to pycocotools' COCOeval (bbox).
 */
export * from './accumulate.js';
export * from './coco-evaluate.js';
export * from './coco-files.js';
export * from './coco-iou.js';
export * from './coco-params.js';
export * from './evaluate-image.js';
export * from './summarize.js';
