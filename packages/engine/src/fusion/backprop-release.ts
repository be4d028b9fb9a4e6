/**
 * Backprop that frees as it goes. tfjs's `engine.gradients` keeps every tensor of the backward
 * pass until the end: the gradient of each op's outputs, and the inputs/outputs each op saved for
 * its gradient (the forward activations). PyTorch frees both as soon as the op's backward has run,
 * so its peak is the activations plus a few gradients, not activations plus all gradients.
 *
 * Here each tape node's gradient function is wrapped (at `addTapeNode`): when backprop reaches a
 * node, the node it processed before is finished — its outputs' gradients and its saved tensors
 * are read by no one else — and they are disposed then, except:
 * - tensors its gradient returned as an input's gradient (identity-like gradients alias them);
 * - the seed `dy` of the pass (the caller's tensor, or tfjs's ones) and anything aliasing it;
 * - a tensor returned as the gradient of two inputs;
 * - passes inside another gradient computation (higher-order gradients record the backward pass
 *   on the outer tape, which needs all of it).
 * The gradients returned are the same tensors, with the same values; only peak memory changes.
 * `DLPIPE_BACKPROP_RELEASE=0` turns it off.
 *
 *   const { grads } = tf.variableGrads(loss);   // activations freed during the backward pass
 */
import * as tfc from '@tensorflow/tfjs';

type Thunks = Record<string, () => tfc.Tensor>;

interface TapeNodeLike {
  saved?: tfc.Tensor[];
  gradient?: (dys: Array<tfc.Tensor | null>) => Thunks;
}

/** One node processed by backprop, waiting for the next node to start before it is released. */
interface Processed {
  dys: Array<tfc.Tensor | null>;
  saved: tfc.Tensor[];
  /** Tensors its gradient returned (an input's gradient may alias a dy or a saved tensor). */
  returned: Set<tfc.Tensor>;
}

/** One `engine.gradients` call. */
interface Pass {
  first: boolean;
  /** Never released early: the seed dy and tensors handed out as more than one input's gradient. */
  keep: Set<tfc.Tensor>;
  /** Every tensor any gradient returned in this pass. */
  handedOut: Set<tfc.Tensor>;
  previous?: Processed;
}

interface EngineLike {
  state: { gradientDepth: number; activeTape: TapeNodeLike[] | null };
  gradients(...args: unknown[]): unknown;
  addTapeNode(...args: unknown[]): void;
}

let enabled = process.env.DLPIPE_BACKPROP_RELEASE !== '0';
const passes: Pass[] = [];

/** Turns the early release on or off; returns the previous setting (for comparisons and tests). */
export function setBackpropRelease(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

function release(pass: Pass): void {
  const p = pass.previous;
  if (!p) return;
  pass.previous = undefined;
  const free = (t: tfc.Tensor | null | undefined) => {
    if (t && !t.isDisposed && !p.returned.has(t) && !pass.keep.has(t)) t.dispose();
  };
  for (const t of p.dys) free(t);
  for (const t of p.saved) free(t);
}

function wrapNode(engine: EngineLike, node: TapeNodeLike): void {
  const gradient = node.gradient;
  if (!gradient) return;
  const saved = node.saved ?? [];
  node.gradient = (dys) => {
    const pass = passes.at(-1);
    if (!pass || !enabled || engine.state.gradientDepth !== 0) return gradient(dys);
    release(pass);
    if (pass.first) {
      pass.first = false;
      for (const t of dys) if (t) pass.keep.add(t);
    }
    const thunks = gradient(dys);
    const done: Processed = { dys, saved, returned: new Set() };
    pass.previous = done;
    const wrapped: Thunks = {};
    for (const [name, thunk] of Object.entries(thunks)) {
      wrapped[name] = () => {
        const dx = thunk();
        if (pass.handedOut.has(dx) || pass.keep.has(dx)) pass.keep.add(dx);
        pass.handedOut.add(dx);
        done.returned.add(dx);
        return dx;
      };
    }
    return wrapped;
  };
}

let installed = false;

/** Wraps tfjs's engine (idempotent); see the file header. */
export function installBackpropRelease(): void {
  if (installed) return;
  installed = true;
  const proto = Object.getPrototypeOf(tfc.engine()) as EngineLike;
  const addTapeNode = proto.addTapeNode;
  proto.addTapeNode = function (this: EngineLike, ...args: unknown[]) {
    addTapeNode.apply(this, args);
    const tape = this.state.activeTape;
    const node = tape?.[tape.length - 1];
    if (node) wrapNode(this, node);
  };
  const gradients = proto.gradients;
  proto.gradients = function (this: EngineLike, ...args: unknown[]) {
    passes.push({ first: true, keep: new Set(), handedOut: new Set() });
    try {
      return gradients.apply(this, args);
    } finally {
      passes.pop();
    }
  };
}

installBackpropRelease();
