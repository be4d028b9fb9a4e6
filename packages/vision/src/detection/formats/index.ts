/**
 * Detection annotation formats: COCO JSON, Pascal VOC XML, YOLO txt.
 */
export * from './annotation-error.js';
export * from './coco-json.js';
export * from './coco-schema.js';
export * from './convert-detections.js';
export * from './detection-set.js';
export * from './image-files.js';
export * from './json-position.js';
export * from './voc-xml.js';
export * from './xml.js';
export * from './yolo-txt.js';
