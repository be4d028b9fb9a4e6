/**
 * A YOLO detector: model, target assignment, loss, decoding.
 */
export {};
