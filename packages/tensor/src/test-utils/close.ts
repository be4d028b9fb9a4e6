/** Assertions for numbers and arrays with tolerances, for tests. */
import assert from 'node:assert/strict';

export function assertClose(actual: number, expected: number, tol = 1e-5, what = 'value'): void {
  const ok = Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
  assert.ok(ok, `${what}: expected ${expected} ± ${tol}, got ${actual}`);
}

export function assertAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  assert.equal(actual.length, expected.length, `length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < actual.length; i++) assertClose(actual[i]!, expected[i]!, tol, `element ${i}`);
}
