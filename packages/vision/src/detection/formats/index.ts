/**
 * Detection annotation formats: COCO JSON, Pascal VOC XML, YOLO txt.
 */
export * from './annotation-error.js';
export * from './coco-schema.js';
export * from './json-position.js';
