/**
 * A sequence of table transforms fitted and applied in order (scikit-learn's `Pipeline` of
 * transformers); the inverse runs the invertible steps backwards.
 *
 *   const p = new TransformPipeline([new SimpleImputer(), new StandardScaler()]);
 *   const z = p.fitTransform(train);  await saveTransform('prep.json', p);
 */
import { TransformError } from '../errors.js';
import type { Table } from '../table/table.js';
import type { Transformer, TransformState } from './transformer.js';

export class TransformPipeline implements Transformer {
  readonly kind = 'TransformPipeline';
  constructor(readonly steps: Transformer[]) {}

  fit(table: Table): this {
    this.fitTransform(table);
    return this;
  }

  fitTransform(table: Table): Table {
    return this.steps.reduce((t, s) => s.fitTransform(t), table);
  }

  transform(table: Table): Table {
    return this.steps.reduce((t, s) => s.transform(t), table);
  }

  inverseTransform(table: Table): Table {
    return [...this.steps].reverse().reduce((t, s) => {
      if (!s.inverseTransform) throw new TransformError(`TransformPipeline: step ${s.kind} has no inverse`);
      return s.inverseTransform(t);
    }, table);
  }

  toJSON(): TransformState {
    return { kind: this.kind, version: 1, config: {}, state: this.steps.map((s) => s.toJSON()) };
  }
}
