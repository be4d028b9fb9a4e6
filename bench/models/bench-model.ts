/**
 * What the engine benchmark needs from a model: a training step, a forward pass and its size.
 * A model file only says what the model is; timing and the child process are shared.
 *
 *   const net = MODELS.lenet.create({ batch: 256 });
 *   net.trainStep(); net.forward(); net.dispose();
 */
import { clipByGlobalNorm, tf } from '@dlpipe/tensor';
import type { TorchGroup } from '../lib/torch-reference.js';

/** A built model with its own random batch, ready to be timed. */
export interface BenchModel {
  /** Trainable parameters, counted as PyTorch's `sum(p.numel() for p in net.parameters())`. */
  paramCount(): number;
  /** Forward + backward + update on the fixed batch, everything disposed; returns the loss. */
  trainStep(): number;
  /** One forward pass in training mode (as the reference does), read back to force completion. */
  forward(): void;
  /** One forward pass in inference mode (batch norm on its running statistics), read back. */
  infer?(): void;
  /** Frees the weights, optimizer state and batch. */
  dispose(): void;
}

/** Options of `BenchModelSpec.create`. */
export interface BenchModelOptions {
  /** Examples per batch. */
  batch: number;
  /** Input height and width where the model allows it (ResNet-18; default 96). Tests use less. */
  size?: number;
  /** Learning rate instead of the benchmark's (tests use a gentler one to compare backends). */
  lr?: number;
}

/** A model of the benchmark: how to build it and which PyTorch numbers it is compared with. */
export interface BenchModelSpec {
  /** Name on the command line (`--models lenet`). */
  name: string;
  /** Batch of a training step; `--quick` may use the smaller one the reference uses then. */
  trainBatch(quick: boolean): number;
  /** Batch of a forward pass. */
  forwardBatch: number;
  /** Batch of the latency row (an inference forward), where the model has one. */
  latencyBatch?: number;
  /**
   * Warm-up steps before timing (as the reference): enough for V8 to optimize the step's
   * JavaScript — a Transformer step takes 2–3× longer in its first ten calls than after.
   */
  warmup: number;
  /** Timed steps behind the median (default 5; 3 with --quick). */
  iters?: number;
  /** Key prefixes in torch_reference.py's RESULT (`lenet` → `lenet_b256`, `lenetfwd_b256`). */
  torchKeys: { train: string; forward: string; latency?: string };
  /** The reference's group (engine_torch.py `--only`) that measures them. */
  torchGroup: TorchGroup;
  /** PyTorch's parameter count for the same model (see the model file for its source). */
  torchParams: number;
  create(options: BenchModelOptions): BenchModel;
}

/** An optimizer as `createOptimizer` makes it (only what a training step needs). */
interface StepOptimizer {
  applyGradients(grads: Array<{ name: string; tensor: tf.Tensor }>): void;
}

/**
 * One training step with gradients clipped to global norm `clip` (d2l's `grad_clipping`): the
 * loss of `loss()` differentiated for `vars`, clipped, applied; returns the loss.
 */
export function clippedStep(
  loss: () => tf.Scalar,
  vars: tf.Variable[],
  optimizer: StepOptimizer,
  clip = 1,
): number {
  const { value, grads } = tf.variableGrads(loss, vars);
  const { grads: clipped } = clipByGlobalNorm(grads, clip);
  optimizer.applyGradients(Object.entries(clipped).map(([name, tensor]) => ({ name, tensor })));
  const out = value.dataSync()[0]!;
  tf.dispose([value, grads, clipped]);
  return out;
}

/** Total number of elements of a list of shapes. */
export function countParams(shapes: readonly (readonly number[])[]): number {
  return shapes.reduce((sum, shape) => sum + shape.reduce((n, d) => n * d, 1), 0);
}
