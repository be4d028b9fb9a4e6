/**
 * Training, detection and validation runs for any registered detector.
 */
export * from './detect-images.js';
export * from './detection-curves.js';
export * from './detection-data.js';
export * from './detector-run.js';
export * from './draw-detections.js';
export * from './evaluate-detector.js';
export * from './map-validation.js';
export * from './pr-curves.js';
export * from './train-detector.js';
export * from './validate-detector.js';
