/**
 * Base class for dlpipe's own optimizers: per-variable state tensors ("slots") created on first
 * use, saved and restored in tfjs's optimizer-weights format (iterations first, then the slots).
 */
import { tf } from '@dlpipe/engine';
import { CheckpointError } from '../errors.js';

/**
 * Per-variable optimizer state ("slots"), kept by the variable's position in the gradient list
 * (as tfjs's own optimizers do), so a checkpoint restores into a fresh model with other names.
 */
export abstract class SlottedOptimizer extends tf.Optimizer {
  protected slots: Array<{ name: string; vars: tf.Variable[] }> = [];
  abstract learningRate: number;
  protected abstract readonly slotNames: string[];

  protected slotsFor(i: number, name: string, value: tf.Variable): tf.Variable[] {
    let s = this.slots[i];
    if (!s) {
      s = { name, vars: this.slotNames.map(() => tf.tidy(() => tf.zerosLike(value).variable(false))) };
      this.slots[i] = s;
    }
    return s.vars;
  }

  protected gradEntries(g: tf.NamedTensorMap | tf.NamedTensor[]): Array<[string, tf.Tensor]> {
    return Array.isArray(g) ? g.map((x) => [x.name, x.tensor]) : Object.entries(g);
  }

  override async getWeights(): Promise<tf.NamedTensor[]> {
    const out: tf.NamedTensor[] = [await this.saveIterations()];
    for (const s of this.slots) {
      s.vars.forEach((v, j) => {
        out.push({ name: `${s.name}/${this.slotNames[j]}`, tensor: v });
      });
    }
    return out;
  }

  override async setWeights(weightValues: tf.NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const k = this.slotNames.length;
    if (rest.length % k !== 0) {
      throw new CheckpointError(
        `${this.getClassName()} expects ${k} state tensors per variable, got ${rest.length} in all: ` +
          'the optimizer state was saved by another optimizer; resume with the same optimizer',
      );
    }
    this.disposeSlots();
    for (let i = 0; i < rest.length; i += k) {
      const group = rest.slice(i, i + k);
      const name = group[0]!.name.slice(0, group[0]!.name.lastIndexOf('/'));
      this.slots.push({ name, vars: group.map((w) => w.tensor.variable(false)) });
    }
  }

  private disposeSlots(): void {
    for (const s of this.slots) tf.dispose(s.vars);
    this.slots = [];
  }

  /** Every dlpipe optimizer takes its config object as its constructor's options. */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }

  override dispose(): void {
    this.disposeSlots();
    super.dispose();
  }
}
