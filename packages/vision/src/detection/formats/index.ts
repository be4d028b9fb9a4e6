/**
 * Detection annotation formats: COCO JSON, Pascal VOC XML, YOLO txt.
 */
export {};
