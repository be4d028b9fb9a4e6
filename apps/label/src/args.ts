/**
 * Shared argument handling of `dlpipe-label` commands: node's parseArgs, then a zod schema;
 * every problem reported at once with the command's usage.
 *
 *   const o = parse(argv, { store: { type: 'string' } }, schema, USAGE);
 */

export { type Command, parseCommandArgs as parse } from '@dlpipe/tensor';

/** "a,b , c" → ['a', 'b', 'c']. */
export function list(s: string | undefined): string[] | undefined {
  return s === undefined
    ? undefined
    : s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
}
