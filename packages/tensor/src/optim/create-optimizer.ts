/**
 * Optimizers by name with one options schema, for configs and CLIs, and a way to change the
 * learning rate of any of them between steps (which is how schedules drive them).
 *
 *   const opt = createOptimizer({ name: 'adam', lr: 0.01 });
 *   setLearningRate(opt, 0.005);
 */

import { InvalidArgumentError, OptionsError, zodMessage } from '@dlpipe/core';
import { tf } from '@dlpipe/engine';
import { z } from 'zod';
import { Adadelta } from './adadelta.js';
import { Adam, AdamW, SGD, SGDW } from './decoupled.js';

export const OPTIMIZER_NAMES = [
  'sgd',
  'momentum',
  'adagrad',
  'rmsprop',
  'adadelta',
  'adam',
  'adamw',
  'sgdw',
] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** The options each optimizer reads besides `name` and `lr`. */
const OPTIMIZER_FIELDS = {
  sgd: [],
  momentum: ['momentum', 'nesterov'],
  adagrad: ['initialAccumulator'],
  rmsprop: ['rho', 'momentum', 'epsilon'],
  adadelta: ['rho', 'epsilon'],
  adam: ['beta1', 'beta2', 'epsilon'],
  adamw: ['beta1', 'beta2', 'epsilon', 'weightDecay'],
  sgdw: ['momentum', 'nesterov', 'weightDecay'],
} as const satisfies Record<OptimizerName, readonly string[]>;

/** Momentum μ of the 'momentum' optimizer when none is given (d2l §12.6, PyTorch examples). */
export const DEFAULT_MOMENTUM = 0.9;

export const optimizerOptionsSchema = z
  .object({
    /** Which optimizer. */
    name: z.enum(OPTIMIZER_NAMES),
    /** Learning rate (a schedule may change it every step). */
    lr: z.number().positive(),
    /** momentum / sgdw: momentum μ (default DEFAULT_MOMENTUM = 0.9 for 'momentum', 0 for 'sgdw'); rmsprop: momentum (default 0). */
    momentum: z.number().min(0).max(1).optional(),
    /** momentum / sgdw: Nesterov momentum (default false). */
    nesterov: z.boolean().optional(),
    /** adam / adamw (default 0.9). */
    beta1: z.number().min(0).lt(1).optional(),
    /** adam / adamw (default 0.999). */
    beta2: z.number().min(0).lt(1).optional(),
    /** rmsprop decay γ (default 0.9), adadelta ρ (default 0.9, ε 1e-6 as PyTorch). */
    rho: z.number().min(0).lt(1).optional(),
    /** Numerical stability term (default: each optimizer's own). */
    epsilon: z.number().positive().optional(),
    /** adagrad initial accumulator (default 0.1, as tfjs; PyTorch uses 0). */
    initialAccumulator: z.number().min(0).optional(),
    /** adamw / sgdw: decoupled weight decay λ (default 0.01 adamw, 0 sgdw). */
    weightDecay: z.number().min(0).optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    // A field the chosen optimizer does not use would be dropped without a word (e.g. weightDecay
    // on 'sgd' trains with no decay at all): name it and the optimizers that take it.
    const allowed: readonly string[] = OPTIMIZER_FIELDS[o.name];
    for (const key of Object.keys(o)) {
      if (key === 'name' || key === 'lr' || allowed.includes(key)) continue;
      if (o[key as keyof typeof o] === undefined) continue;
      const takers = OPTIMIZER_NAMES.filter((n) => (OPTIMIZER_FIELDS[n] as readonly string[]).includes(key));
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `'${o.name}' does not use ${key}; it applies to ${takers.join(', ')} (for weight decay with plain SGD use 'sgdw')`,
      });
    }
  });
export type OptimizerOptions = z.input<typeof optimizerOptionsSchema>;

/** Builds an optimizer; bad options are an OptionsError naming each field. */
export function createOptimizer(options: OptimizerOptions): tf.Optimizer {
  const parsed = optimizerOptionsSchema.safeParse(options);
  if (!parsed.success) throw new OptionsError(zodMessage('optimizer options', parsed.error));
  const o = parsed.data;
  switch (o.name) {
    case 'sgd':
      return new SGD({ learningRate: o.lr });
    case 'momentum':
      return new SGD({
        learningRate: o.lr,
        momentum: o.momentum ?? DEFAULT_MOMENTUM,
        nesterov: o.nesterov ?? false,
      });
    case 'adagrad':
      return tf.train.adagrad(o.lr, o.initialAccumulator ?? 0.1);
    case 'rmsprop':
      return tf.train.rmsprop(o.lr, o.rho ?? 0.9, o.momentum ?? 0, o.epsilon);
    case 'adadelta':
      return new Adadelta({ learningRate: o.lr, ...pick(o, ['rho', 'epsilon']) }); // tfjs's differs from PyTorch's
    case 'adam':
      return new Adam({ learningRate: o.lr, ...pick(o, ['beta1', 'beta2', 'epsilon']) });
    case 'adamw':
      return new AdamW({ learningRate: o.lr, ...pick(o, ['beta1', 'beta2', 'epsilon', 'weightDecay']) });
    case 'sgdw':
      return new SGDW({ learningRate: o.lr, ...pick(o, ['momentum', 'nesterov', 'weightDecay']) });
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** The learning rate an optimizer will use on its next step. */
export function getLearningRate(opt: tf.Optimizer): number {
  // tfjs declares `learningRate` on each optimizer class (protected), not on tf.Optimizer: look it up.
  const lr = 'learningRate' in opt ? opt.learningRate : undefined;
  if (typeof lr !== 'number') {
    throw new InvalidArgumentError(
      `${opt.getClassName()} has no numeric learningRate field (received ${typeof lr}); ` +
        'expected a tfjs or dlpipe optimizer (createOptimizer makes one)',
    );
  }
  return lr;
}

/** Changes the learning rate of any tfjs or dlpipe optimizer before its next step. */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  if ('setLearningRate' in opt && typeof opt.setLearningRate === 'function') opt.setLearningRate(lr);
  else Object.assign(opt, { learningRate: lr });
}
