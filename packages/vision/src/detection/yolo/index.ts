/**
 * A YOLO detector: model, target assignment, loss, decoding.
 */
export * from './assigner.js';
export * from './box-loss.js';
export * from './conv-bn.js';
export * from './dist-boxes.js';
export * from './yolo-detector.js';
export * from './yolo-loss.js';
export * from './yolo-net.js';
export * from './yolo-postprocess.js';
