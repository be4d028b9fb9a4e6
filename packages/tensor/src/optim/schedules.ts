/**
 * Learning-rate schedules (d2l §12.11): functions from the global step (or epoch) to a rate.
 * The training loop evaluates the schedule before each optimizer step.
 *
 *   const s = warmup(cosineLr({ lr: 0.3, finalLr: 0.01, totalSteps: 1000 }), { steps: 50 });
 *   s({ step: 10, epoch: 0 }) // → rate for step 10
 */

import { OptionsError, zodMessage } from '@dlpipe/core';
import { z } from 'zod';

/** Where in training we are: global optimizer step (0-based) and epoch (0-based). */
export interface ScheduleContext {
  step: number;
  epoch: number;
}
export type LrSchedule = (ctx: ScheduleContext) => number;

export interface StepLrOptions {
  lr: number;
  /** Multiply by `gamma` every `stepSize` units. */
  stepSize?: number;
  /** Or at these units (MultiStepLR). */
  milestones?: number[];
  /** Default 0.1. */
  gamma?: number;
  /** Count in optimizer steps or epochs. Default 'epoch'. */
  unit?: 'step' | 'epoch';
}

/** Step decay (PyTorch StepLR / MultiStepLR; d2l FactorScheduler / MultiFactorScheduler). */
export function stepLr(o: StepLrOptions): LrSchedule {
  const gamma = o.gamma ?? 0.1;
  return (ctx) => {
    const t = o.unit === 'step' ? ctx.step : ctx.epoch;
    const k = o.milestones ? o.milestones.filter((m) => t >= m).length : Math.floor(t / (o.stepSize ?? 1));
    return o.lr * gamma ** k;
  };
}

export interface ExponentialLrOptions {
  lr: number;
  gamma: number;
  /** Default 'epoch'. */
  unit?: 'step' | 'epoch';
  /** Lower bound. Default 0. */
  minLr?: number;
}

/** lr·γ^t. */
export function exponentialLr(o: ExponentialLrOptions): LrSchedule {
  return (ctx) => Math.max(o.minLr ?? 0, o.lr * o.gamma ** (o.unit === 'step' ? ctx.step : ctx.epoch));
}

export interface CosineLrOptions {
  lr: number;
  /** Rate reached at `totalSteps` and kept after. Default 0. */
  finalLr?: number;
  totalSteps: number;
}

/** Cosine decay from lr to finalLr over totalSteps optimizer steps (d2l CosineScheduler). */
export function cosineLr(o: CosineLrOptions): LrSchedule {
  const final = o.finalLr ?? 0;
  return ({ step }) => {
    if (step >= o.totalSteps) return final;
    return final + ((o.lr - final) * (1 + Math.cos((Math.PI * step) / o.totalSteps))) / 2;
  };
}

export interface WarmupOptions {
  /** Number of warm-up steps. */
  steps: number;
  /** Rate at step 0. Default 0. */
  startLr?: number;
}

/**
 * Linear warm-up from startLr to the wrapped schedule's rate at `steps`, then the wrapped
 * schedule continues with the step count shifted by the warm-up (as d2l's CosineScheduler).
 */
export function warmup(schedule: LrSchedule, o: WarmupOptions): LrSchedule {
  return (ctx) => {
    if (ctx.step >= o.steps) return schedule({ ...ctx, step: ctx.step - o.steps });
    const target = schedule({ ...ctx, step: 0 });
    const start = o.startLr ?? 0;
    return start + ((target - start) * ctx.step) / o.steps;
  };
}

/** A schedule as data (for job files and CLIs). */
export const scheduleOptionsSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('constant') }),
  z.object({
    type: z.literal('step'),
    stepSize: z.number().int().positive().optional(),
    milestones: z.array(z.number().int().nonnegative()).optional(),
    gamma: z.number().positive().optional(),
    unit: z.enum(['step', 'epoch']).optional(),
  }),
  z.object({
    type: z.literal('exponential'),
    gamma: z.number().positive(),
    unit: z.enum(['step', 'epoch']).optional(),
    minLr: z.number().min(0).optional(),
  }),
  z.object({
    type: z.literal('cosine'),
    finalLr: z.number().min(0).optional(),
    totalSteps: z.number().int().positive(),
  }),
]);
export type ScheduleOptions = z.input<typeof scheduleOptionsSchema> & {
  /** Linear warm-up steps before the schedule. */
  warmupSteps?: number;
  warmupStartLr?: number;
};

/** Builds a schedule for base rate `lr` from options. */
export function createSchedule(lr: number, options: ScheduleOptions): LrSchedule {
  const { warmupSteps, warmupStartLr, ...rest } = options;
  const parsed = scheduleOptionsSchema.safeParse(rest);
  if (!parsed.success) throw new OptionsError(zodMessage('schedule options', parsed.error));
  const o = parsed.data;
  let s: LrSchedule;
  if (o.type === 'constant') s = () => lr;
  else if (o.type === 'step') s = stepLr({ lr, ...o });
  else if (o.type === 'exponential') s = exponentialLr({ lr, ...o });
  else s = cosineLr({ lr, ...o });
  return warmupSteps ? warmup(s, { steps: warmupSteps, startLr: warmupStartLr }) : s;
}
