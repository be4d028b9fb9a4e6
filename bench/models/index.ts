/**
 * The models of the engine benchmark, by name: `MODELS.lenet.create({ batch: 256 })`.
 * Same nets as ../shared/bench/torch_reference.py (d2l), so their times compare.
 */
import type { BenchModelSpec } from './bench-model.js';
import { gruLM, gruLMScratch, lstmLM, lstmLMScratch } from './char-lm.js';
import { lenet } from './lenet.js';
import { lenetOps, resnet18Ops } from './plain-ops.js';
import { resnet18 } from './resnet18.js';
import { transformer } from './transformer.js';

export type { BenchModel, BenchModelSpec } from './bench-model.js';

/** `-ops`: the same nets written with plain tf ops (plain-ops.ts), compared with the same PyTorch rows. */
export const MODELS = {
  lenet,
  'lenet-ops': lenetOps,
  resnet18,
  'resnet18-ops': resnet18Ops,
  transformer,
  'gru-lm': gruLM,
  'lstm-lm': lstmLM,
  'gru-lm-scratch': gruLMScratch,
  'lstm-lm-scratch': lstmLMScratch,
} satisfies Record<string, BenchModelSpec>;
export type ModelName = keyof typeof MODELS;
export const MODEL_NAMES = Object.keys(MODELS) as ModelName[];

export function isModelName(name: string): name is ModelName {
  return Object.hasOwn(MODELS, name);
}
