/**
 * d2l §14.2's fine-tuning recipe: train the new head with the backbone frozen, then unfreeze and
 * train everything with the backbone's learning rate 10× smaller than the head's (SGD with a
 * per-variable rate scale), through @dlpipe/tensor's `fit`.
 *
 *   const r = await finetune(net, train, test, { headEpochs: 2, fullEpochs: 3, lr: 0.01, runDir: 'runs/ft' });
 */
import { join } from 'node:path';
import {
  type DataSource,
  fit,
  type HistoryRecord,
  layersTask,
  tensorDataSource,
  tf,
  type XYBatch,
} from '@dlpipe/tensor';
import { headVariableNames, setTrainable } from './pretrained.js';

/** SGD whose step for variables outside `full` is multiplied by `scale` (e.g. 0.1 for a backbone). */
export class ScaledSgd extends tf.SGDOptimizer {
  constructor(
    lr: number,
    private readonly full: Set<string>,
    private readonly scale: number,
  ) {
    super(lr);
  }
  override applyGradients(grads: tf.NamedTensorMap | tf.NamedTensor[]): void {
    const list = Array.isArray(grads)
      ? grads
      : Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
    const scaled = list.map(({ name, tensor }) => ({
      name,
      tensor: this.full.has(name) ? tensor : tf.mul(tensor, this.scale),
    }));
    super.applyGradients(scaled);
    tf.dispose(scaled.filter((g, i) => g.tensor !== list[i]!.tensor).map((g) => g.tensor));
  }
}

export interface FinetuneOptions {
  /** Epochs with the backbone frozen. Default 1. */
  headEpochs?: number;
  /** Epochs with everything trainable, backbone at lr·backboneScale. Default 1. */
  fullEpochs?: number;
  /** The head's learning rate. */
  lr: number;
  /** Default 0.1 (d2l: 10× smaller). */
  backboneScale?: number;
  /** history.jsonl of each phase under runDir/head and runDir/full. Default: nothing written. */
  runDir?: string;
  seed?: number;
  progress?: boolean;
  /** Called with the net before and after each phase (e.g. to snapshot weights). */
  onPhase?: (event: FinetunePhaseEvent) => void;
}

export interface FinetunePhaseEvent {
  phase: 'head' | 'full';
  stage: 'start' | 'end';
  net: tf.LayersModel;
}

/** Runs both phases; returns their histories. */
export async function finetune(
  net: tf.LayersModel,
  train: DataSource<XYBatch>,
  test: { x: tf.Tensor; y: tf.Tensor } | undefined,
  o: FinetuneOptions,
): Promise<{ head: HistoryRecord[]; full: HistoryRecord[] }> {
  const common = {
    metrics: ['accuracy'],
    seed: o.seed ?? 42,
    progress: o.progress ?? true,
    ...(test ? { validation: tensorDataSource(test, { batchSize: 64 }) } : {}),
  };
  const hook = (phase: 'head' | 'full', stage: 'start' | 'end') => o.onPhase?.({ phase, stage, net });
  setTrainable(net, false);
  hook('head', 'start');
  const head = await fit(layersTask(net), train, {
    ...common,
    epochs: o.headEpochs ?? 1,
    optimizer: { name: 'sgd', lr: o.lr },
    ...(o.runDir ? { runDir: join(o.runDir, 'head') } : {}),
  });
  hook('head', 'end');
  setTrainable(net, true);
  hook('full', 'start');
  const full = await fit(layersTask(net), train, {
    ...common,
    epochs: o.fullEpochs ?? 1,
    optimizer: new ScaledSgd(o.lr, headVariableNames(net), o.backboneScale ?? 0.1),
    ...(o.runDir ? { runDir: join(o.runDir, 'full') } : {}),
  });
  hook('full', 'end');
  return { head: head.history, full: full.history };
}
