/**
 * A pass-through stream that counts the fields of a CSV's first record on the raw bytes (quotes
 * respected) and fails as soon as there are more than `max`: csv-parse needs ~10 s for a header of
 * a million fields, this needs milliseconds. After the first line it only passes chunks on.
 *
 *   file.stream.pipe(firstRecordWidth(',', '"', 100_000, (n) => tooWide(n))).pipe(parser);
 */
import { Transform } from 'node:stream';

/** The byte of a one-byte (ASCII) delimiter or quote, else undefined. */
export function asciiByte(s: string): number | undefined {
  return s.length === 1 && s.charCodeAt(0) < 0x80 ? s.charCodeAt(0) : undefined;
}

/**
 * Fails with `tooWide(fieldsSoFar)` when the first record has more than `max` fields (a delimiter
 * and a quote of one ASCII byte each: call it only then).
 */
export function firstRecordWidth(
  delimiter: number,
  quote: number,
  max: number,
  tooWide: (fieldsSoFar: number) => Error,
): Transform {
  let done = false;
  let quoted = false;
  let fields = 1;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      for (let i = 0; !done && i < chunk.length; i++) {
        const c = chunk[i]!;
        if (c === quote) quoted = !quoted;
        else if (quoted) continue;
        else if (c === delimiter) {
          if (++fields > max) {
            cb(tooWide(fields));
            return;
          }
        } else if (c === 10 || c === 13) done = true;
      }
      cb(null, chunk);
    },
  });
}
