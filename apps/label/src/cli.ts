/**
 * `dlpipe-label` (`pnpm label <command>`): semi-supervised self-training and the label store,
 * commands chosen from an explicit registry.
 *
 *   pnpm label self-train --data x.csv --label-col y --out labeled.csv --store labels.sqlite
 */
import { type CommandEntry, lazy, runCli } from '@dlpipe/core';
import { importCmd } from './commands/import.js';
import { review } from './commands/review.js';
import { selfTrain } from './commands/self-train.js';
import { exportCmd, stats } from './commands/stats.js';

export const COMMANDS: Record<string, CommandEntry> = {
  'self-train': selfTrain,
  review,
  import: importCmd,
  stats,
  export: exportCmd,
  detect: lazy(
    'pseudo-boxes from a pretrained COCO detector into the label store',
    async () => (await import('./commands/detect.js')).detect,
  ),
  'export-boxes': lazy(
    'write the boxes as a COCO/YOLO detection set (train/val)',
    async () => (await import('./commands/export-boxes.js')).exportBoxes,
  ),
};

runCli('label', COMMANDS, process.argv.slice(2));
