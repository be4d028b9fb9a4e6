/**
 * Detection evaluation: COCO mAP equal to pycocotools' COCOeval (bbox).
 */
export {};
