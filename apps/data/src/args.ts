/**
 * Option helpers of `dlpipe-data` commands; argument parsing itself (parseArgs + zod, every
 * problem reported at once with the usage) is @dlpipe/tensor's `parseCommandArgs`.
 *
 *   const o = parse(argv, { out: { type: 'string' } }, schema, USAGE);
 */
import { DTYPES, type DType } from '@dlpipe/data';
import { OptionsError } from '@dlpipe/tensor';

export { type Command, parseCommandArgs as parse } from '@dlpipe/tensor';

/** `--dtype col=type` (repeatable) as a record. */
export function parseDtypes(specs: string[] | undefined): Record<string, DType> {
  const out: Record<string, DType> = {};
  for (const s of specs ?? []) {
    const m = /^(.+)=(\w+)$/.exec(s);
    if (!m || !DTYPES.includes(m[2] as DType)) {
      throw new OptionsError(`--dtype '${s}': expected column=type with type one of ${DTYPES.join(', ')}`);
    }
    out[m[1]!] = m[2] as DType;
  }
  return out;
}

/** '\t' and 'tab' mean a tab. */
export function delimiter(d: string | undefined): string | undefined {
  return d === '\\t' || d === 'tab' ? '\t' : d;
}
