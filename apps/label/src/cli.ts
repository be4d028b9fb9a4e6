/**
 * `dlpipe-label` (`pnpm label <command>`): semi-supervised self-training and the label store,
 * commands chosen from an explicit registry, each loaded only when chosen (so `--help` answers
 * before TensorFlow.js, better-sqlite3 and apache-arrow load).
 *
 *   pnpm label self-train --data x.csv --label-col y --out labeled.csv --store labels.sqlite
 */
import { type CommandEntry, lazy, runCli } from '@dlpipe/core';

export const COMMANDS: Record<string, CommandEntry> = {
  'self-train': lazy(
    'self-train a classifier on partly labeled rows and write the labels',
    async () => (await import('./commands/self-train.js')).selfTrain,
  ),
  review: lazy(
    'list, export or interactively check the least confident pseudo-labels',
    async () => (await import('./commands/review.js')).review,
  ),
  import: lazy(
    'import human labels from a CSV (they override pseudo-labels)',
    async () => (await import('./commands/import.js')).importCmd,
  ),
  stats: lazy(
    'counts by source, label and iteration; pseudo-label confidence; boxes by status and class',
    async () => (await import('./commands/stats.js')).stats,
  ),
  export: lazy(
    'write the labels (or their history) as CSV/Feather',
    async () => (await import('./commands/stats.js')).exportCmd,
  ),
  detect: lazy(
    'pseudo-boxes from a pretrained COCO detector into the label store',
    async () => (await import('./commands/detect.js')).detect,
  ),
  'review-boxes': lazy(
    'review pending boxes: a sheet to fill in, its decisions applied, or score thresholds',
    async () => (await import('./commands/review-boxes.js')).reviewBoxes,
  ),
  'export-boxes': lazy(
    'write the boxes as a COCO/YOLO detection set (train/val)',
    async () => (await import('./commands/export-boxes.js')).exportBoxes,
  ),
};

runCli('label', COMMANDS, process.argv.slice(2));
