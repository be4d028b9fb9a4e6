/**
 * Boxes, anchors, NMS and RoI ops (d2l §14.3–14.8, torchvision.ops semantics).
 */
export {};
