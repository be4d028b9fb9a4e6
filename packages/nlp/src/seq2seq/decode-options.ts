/**
 * The options greedy decoding and beam search share, checked once with zod: the `<bos>` id the
 * decoder starts from, the `<eos>` id that ends a hypothesis, the most tokens to generate.
 *
 *   parseDecodeOptions('greedyDecode', decodeOptionsSchema, { bos: 1, eos: 2, maxLen: 10 }, 220);
 */
import { OptionsError, zodMessage } from '@dlpipe/core';
import { z } from 'zod';

export interface DecodeOptions {
  /** Id of `<bos>`, the first decoder input. */
  bos: number;
  /** Id of `<eos>`: a hypothesis that emits it is finished (the token itself is not returned). */
  eos: number;
  /** Most decoding steps, i.e. tokens generated per hypothesis, `<eos>` included. */
  maxLen: number;
}

export const decodeOptionsSchema = z.object({
  bos: z.number().int().min(0),
  eos: z.number().int().min(0),
  maxLen: z.number().int().positive(),
});

/** Parses decoding options; `bos`/`eos` must be ids of the target vocabulary (`tgtVocabSize`). */
export function parseDecodeOptions<S extends z.ZodType<DecodeOptions>>(
  what: string,
  schema: S,
  options: unknown,
  tgtVocabSize: number,
): z.output<S> {
  const r = schema.safeParse(options);
  if (!r.success) throw new OptionsError(`${zodMessage(`${what} options`, r.error)}.`);
  const o = r.data;
  for (const k of ['bos', 'eos'] as const) {
    if (o[k] >= tgtVocabSize) {
      throw new OptionsError(
        `${what}: ${k} = ${o[k]} is not an id of the target vocabulary (size ${tgtVocabSize}); pass the vocab's <${k}> id.`,
      );
    }
  }
  return o;
}
