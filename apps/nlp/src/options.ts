/**
 * Option parsing helpers for the nlp CLI: zod-checked values with one clear error line.
 *
 *   const o = parseOrThrow(schema, values, 'tokenize');
 */
import { formatZodError, OptionsError } from '@dlpipe/tensor';
import type { z } from 'zod';

export function parseOrThrow<S extends z.ZodType>(schema: S, values: unknown, command: string): z.output<S> {
  const r = schema.safeParse(values);
  if (!r.success)
    throw new OptionsError(`nlp ${command}: ${formatZodError(r.error)}. Run \`pnpm nlp ${command} --help\`.`);
  return r.data;
}
