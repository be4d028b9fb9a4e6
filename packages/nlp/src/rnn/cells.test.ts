import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { initBackend, tf } from '@dlpipe/tensor';
import { ModelUseError } from '../errors.js';
import { type CellParams, gruStep, lstmStep, rnnStep } from './cells.js';

before(async () => {
  await initBackend();
});

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
/** Plain-number reference: x·W_x + h·W_h + b for a 1-row x and h (the textbook formula). */
const affine = (x: number[], h: number[], Wx: number[][], Wh: number[][], b: number[]) =>
  b.map(
    (bj, j) =>
      bj + x.reduce((s, xi, i) => s + xi * Wx[i]![j]!, 0) + h.reduce((s, hi, i) => s + hi * Wh[i]![j]!, 0),
  );

/** Tiny hand-set weights: input 2, hidden 2; per gate W_x, W_h (not symmetric), b. */
const W = {
  x: [
    [0.5, -0.25],
    [0.1, 0.3],
  ],
  h: [
    [0.2, 0.4],
    [-0.6, 0.1],
  ],
  b: [0.1, -0.2],
};
const gateParams = (gates: string[], scale: number[]): Record<string, tf.Tensor> =>
  Object.fromEntries(
    gates.flatMap((g, k) => [
      [`W_x${g}`, tf.mul(tf.tensor2d(W.x), scale[k]!)],
      [`W_h${g}`, tf.mul(tf.tensor2d(W.h), scale[k]!)],
      [`b_${g}`, tf.mul(tf.tensor1d(W.b), scale[k]!)],
    ]),
  );
const scaled = (M: number[][], s: number) => M.map((r) => r.map((v) => v * s));
const pre = (x: number[], h: number[], s: number) =>
  affine(
    x,
    h,
    scaled(W.x, s),
    scaled(W.h, s),
    W.b.map((v) => v * s),
  );
const x = [1, 2];
const h0 = [0.5, -0.5];
const c0 = [0.3, 0.7];
const X = () => tf.tensor2d([x]);
const near = (got: tf.Tensor, want: number[]) => {
  const g = Array.from(got.dataSync());
  assert.equal(g.length, want.length);
  g.forEach((v, i) => {
    assert.ok(Math.abs(v - want[i]!) < 1e-6, `[${i}] ${v} vs ${want[i]}`);
  });
};

describe('RNN/GRU/LSTM cells from tf ops (one step against hand computation)', () => {
  it('rnn: H = tanh(X W_xh + H W_hh + b_h)', () => {
    // By hand: X W_xh = [0.5+0.2, -0.25+0.6] = [0.7, 0.35]; H W_hh = [0.1+0.3, 0.2-0.05] = [0.4, 0.15];
    // + b = [1.2, 0.3] → tanh = [0.833654607012155, 0.291312612451591].
    const [H] = rnnStep(X(), [tf.tensor2d([h0])], gateParams(['h'], [1]));
    near(H!, [0.833654607012155, 0.291312612451591]);
  });

  it('gru: update/reset gates and candidate as d2l 10.2', () => {
    const s = { z: 1, r: -2, h: 0.5 };
    const Z = pre(x, h0, s.z).map(sigmoid);
    const R = pre(x, h0, s.r).map(sigmoid);
    const Rh = R.map((r, i) => r * h0[i]!);
    const Ht = pre(x, Rh, s.h).map(Math.tanh);
    const want = Z.map((z, i) => z * h0[i]! + (1 - z) * Ht[i]!);
    const p = gateParams(['z', 'r', 'h'], [s.z, s.r, s.h]);
    near(gruStep(X(), [tf.tensor2d([h0])], p)[0]!, want);
  });

  it('lstm: input/forget/output gates and memory cell as d2l 10.1', () => {
    const s = { i: 1, f: -1, c: 2, o: 0.5 };
    const [I, F, O] = [s.i, s.f, s.o].map((k) => pre(x, h0, k).map(sigmoid));
    const Ct = pre(x, h0, s.c).map(Math.tanh);
    const C = c0.map((c, j) => F![j]! * c + I![j]! * Ct[j]!);
    const H = C.map((c, j) => O![j]! * Math.tanh(c));
    const p = gateParams(['i', 'f', 'c', 'o'], [s.i, s.f, s.c, s.o]);
    const [Hn, Cn] = lstmStep(X(), [tf.tensor2d([h0]), tf.tensor2d([c0])], p);
    near(Hn!, H);
    near(Cn!, C);
  });

  it('a missing parameter or state is a ModelUseError naming it', () => {
    const p: CellParams = gateParams(['z', 'r'], [1, 1]);
    assert.throws(
      () => gruStep(X(), [tf.tensor2d([h0])], p),
      (e: unknown) => e instanceof ModelUseError && /'W_xh' is missing/.test(e.message),
    );
    assert.throws(
      () => lstmStep(X(), [tf.tensor2d([h0])], gateParams(['i', 'f', 'c', 'o'], [1, 1, 1, 1])),
      /needs 2 state tensors/,
    );
  });
});
