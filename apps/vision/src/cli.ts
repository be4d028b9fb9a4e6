/**
 * `dlpipe-vision` (`pnpm vision <command>`): train, evaluate and run d2l's CNNs, fine-tune
 * MobileNetV2 (and compare with training from scratch), preview augmentation, list the zoo;
 * commands chosen from an explicit registry, one file each under commands/.
 *
 *   pnpm vision train --model lenet --dataset fashion-mnist --epochs 10 --lr 0.9
 */
import { runCli } from '@dlpipe/tensor';
import type { Command } from './args.js';
import { evaluate } from './commands/eval.js';
import { finetune } from './commands/finetune.js';
import { models } from './commands/models.js';
import { predict } from './commands/predict.js';
import { preview } from './commands/preview.js';
import { train } from './commands/train.js';

export const COMMANDS: Record<string, Command> = {
  train,
  eval: evaluate,
  predict,
  finetune,
  preview,
  models,
};

runCli('vision', COMMANDS, process.argv.slice(2));
