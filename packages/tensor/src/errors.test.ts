import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DlpipeError } from '@dlpipe/core';
import { CheckpointError, ModelLoadError, NonFiniteLossError, ShapeMismatchError } from './errors.js';

describe('tensor errors', () => {
  it('a non-finite loss is a failure of the run (exit 1), naming epoch, step and value', () => {
    const e = new NonFiniteLossError(3, 120, Number.NaN);
    assert.ok(e instanceof DlpipeError);
    assert.equal(e.exitCode, 1);
    assert.equal(e.code, 'NON_FINITE_LOSS');
    assert.deepEqual([e.epoch, e.step, e.value], [3, 120, Number.NaN]);
    assert.match(e.message, /loss is NaN at epoch 3, step 120 \(global\)\. Lower the learning rate/);
  });

  it('bad input (a model file, shapes, a checkpoint) exits 2', () => {
    for (const e of [
      new ModelLoadError('runs/m/model.json', 'not valid JSON'),
      new ShapeMismatchError('prediction shape [3] and target shape [4] must be equal'),
      new CheckpointError('written by another model'),
    ]) {
      assert.equal(e.exitCode, 2, e.name);
    }
  });
});
