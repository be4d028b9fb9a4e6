/**
 * `dlpipe-vision` (`pnpm vision <command>`): train, evaluate and run d2l's CNNs, fine-tune
 * MobileNetV2 (and compare with training from scratch), preview augmentation, list the zoo;
 * commands from an explicit registry, one file each under commands/, loaded only when chosen
 * (so `--help` and typos answer before TensorFlow.js loads).
 *
 *   pnpm vision train --model lenet --dataset fashion-mnist --epochs 10 --lr 0.9
 */
import { type CommandEntry, lazy, runCli } from '@dlpipe/core';

export const COMMANDS: Record<string, CommandEntry> = {
  train: lazy(
    'train a zoo model (checkpoints, --resume, reports under runs/<name>/)',
    async () => (await import('./commands/train.js')).train,
  ),
  eval: lazy(
    'evaluate a trained run on a test split (reports under runs/<name>/eval/)',
    async () => (await import('./commands/eval.js')).evaluate,
  ),
  predict: lazy(
    'top-k classes with scores for an image, a folder or a manifest',
    async () => (await import('./commands/predict.js')).predict,
  ),
  finetune: lazy(
    'fine-tune pretrained MobileNetV2 (--compare: vs the same net from scratch)',
    async () => (await import('./commands/finetune.js')).finetune,
  ),
  preview: lazy(
    'write a PNG grid of augmented samples',
    async () => (await import('./commands/preview.js')).preview,
  ),
  map: lazy(
    'COCO mAP of detections (the 12 numbers of pycocotools COCOeval, bbox)',
    async () => (await import('./commands/map.js')).map,
  ),
  convert: lazy(
    'convert detection annotations between COCO JSON, Pascal VOC XML and YOLO txt',
    async () => (await import('./commands/convert.js')).convert,
  ),
  generate: lazy(
    'write a detection set (bananas, emoji-10) made from real photos with pasted sprites',
    async () => (await import('./commands/generate.js')).generate,
  ),
  detect: lazy(
    'detect objects in an image or a folder with a trained detector (JSON + PNGs with boxes)',
    async () => (await import('./commands/detect.js')).detect,
  ),
  val: lazy(
    'COCO mAP and PR curves of a trained detector on a labelled split',
    async () => (await import('./commands/val.js')).val,
  ),
  models: lazy(
    'list the zoo with parameter counts and training defaults',
    async () => (await import('./commands/models.js')).models,
  ),
};

runCli('vision', COMMANDS, process.argv.slice(2));
