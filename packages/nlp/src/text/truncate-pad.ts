/**
 * d2l's `truncate_pad` (§10.5): cut a token-id sequence to `numSteps` or right-pad it with `padId`;
 * shared by the sentiment classifiers and the seq2seq data.
 *
 *   truncatePad([5, 6], 4, 1);            // [5, 6, 1, 1]
 *   truncatePad([5, 6, 7, 8, 9], 4, 1);   // [5, 6, 7, 8]
 */
export function truncatePad(ids: readonly number[], numSteps: number, padId: number): number[] {
  return ids.length >= numSteps
    ? ids.slice(0, numSteps)
    : [...ids, ...new Array<number>(numSteps - ids.length).fill(padId)];
}
