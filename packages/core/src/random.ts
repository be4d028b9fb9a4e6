/**
 * Seeded randomness: one generator whose state can be saved in a checkpoint and restored.
 *
 * `setSeed(42)` seeds dlpipe's generator and installs it as `Math.random`, which is what tfjs
 * uses for unseeded random ops (initializers, dropout masks, shuffles), so the same seed gives
 * the same run. `getRngState()` / `setRngState()` carry it across a resume.
 */
import { InvalidArgumentError } from './errors.js';

/** The state of an sfc32 generator: four unsigned 32-bit words. */
export type RngState = [number, number, number, number];

/** sfc32 (Chris Doty-Humphrey's small fast counter generator), 32-bit arithmetic. */
export class Rng {
  private s: Uint32Array;

  constructor(seed: number | RngState = Date.now()) {
    this.s = new Uint32Array(4);
    if (Array.isArray(seed)) this.setState(seed);
    else this.seed(seed);
  }

  /** Seeds from a number through splitmix32 and discards the first outputs. */
  seed(seed: number): void {
    let x = Math.floor(seed) >>> 0;
    const mix = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    for (let i = 0; i < 4; i++) this.s[i] = mix();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const s = this.s;
    const t = (((s[0]! + s[1]!) >>> 0) + s[3]!) >>> 0;
    s[3] = (s[3]! + 1) >>> 0;
    s[0] = s[1]! ^ (s[1]! >>> 9);
    s[1] = (s[2]! + (s[2]! << 3)) >>> 0;
    s[2] = (s[2]! << 21) | (s[2]! >>> 11);
    s[2] = (s[2]! + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(a: T[] | Int32Array | Uint32Array): typeof a {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    return a;
  }

  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p) as Int32Array;
  }

  getState(): RngState {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  setState(state: RngState): void {
    if (state.length !== 4 || state.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
      throw new InvalidArgumentError(
        `RNG state must be 4 unsigned 32-bit integers, got ${JSON.stringify(state)} (a checkpoint's rngState is corrupt?)`,
      );
    }
    this.s.set(state);
  }
}

const originalRandom = Math.random;
/** The process-wide generator behind `Math.random` once `setSeed` was called. */
export const globalRng = new Rng(Date.now() ^ (process.pid << 8));
let installed = false;

/** Seeds dlpipe's generator and routes `Math.random` (so tfjs's unseeded ops) through it. */
export function setSeed(seed: number): void {
  globalRng.seed(seed);
  if (!installed) {
    Math.random = () => globalRng.next();
    installed = true;
  }
}

/** The global generator's state, for checkpoints. */
export function getRngState(): RngState {
  return globalRng.getState();
}

/** Restores the global generator's state (and installs it as `Math.random`). */
export function setRngState(state: RngState): void {
  globalRng.setState(state);
  if (!installed) {
    Math.random = () => globalRng.next();
    installed = true;
  }
}

/** Gives `Math.random` back to the platform's generator. */
export function unsetSeed(): void {
  Math.random = originalRandom;
  installed = false;
}
