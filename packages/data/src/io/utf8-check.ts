/**
 * A pass-through stream that fails on the first invalid UTF-8 byte instead of letting the decoder
 * turn it into U+FFFD silently. Each chunk is checked with Node's SIMD `isUtf8` (ASCII costs
 * next to nothing); a sequence cut by a chunk boundary is checked with the next chunk. Only on
 * failure is the exact offset searched for.
 *
 *   file.stream.pipe(utf8Check((at, bytes) => new CsvError(path, …))).pipe(parser);
 */
import { isUtf8 } from 'node:buffer';
import { Transform } from 'node:stream';

/** Byte offset of the first invalid UTF-8 sequence (as the WHATWG decoder sees it), or `b.length`. */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0; // overlong
      if (c === 0xed) hi = 0x9f; // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90; // overlong
      if (c === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return n;
}

/** Where a sequence cut off at the end of `b` starts (`b.length` when the end is not mid-sequence). */
function incompleteTail(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= Math.min(3, n); k++) {
    const c = b[n - k]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return length > k ? n - k : n;
  }
  return n;
}

/**
 * Passes bytes through unchanged, or fails with `onInvalid(offset, bytes)` (offset in the whole
 * stream; `bytes` the few bytes there) at the first invalid sequence, at a NUL byte (a binary file),
 * or at a sequence cut by the end.
 */
export function utf8Check(
  onInvalid: (offset: number, bytes: Uint8Array) => Promise<Error> | Error,
): Transform {
  let carry: Buffer | undefined;
  let offset = 0; // of the first byte not yet checked
  const fail = (at: number, bytes: Uint8Array, cb: (err: Error) => void) => {
    Promise.resolve(onInvalid(offset + at, bytes.subarray(at, at + 4))).then(cb, cb);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      const cut = incompleteTail(buf);
      const body = cut === buf.length ? buf : buf.subarray(0, cut);
      if (!isUtf8(body)) {
        fail(firstInvalidUtf8(body), body, cb);
        return;
      }
      const nul = body.indexOf(0); // valid UTF-8, but no text has it: a binary file (SQLite, images…)
      if (nul !== -1) {
        fail(nul, body, cb);
        return;
      }
      carry = cut === buf.length ? undefined : Buffer.from(buf.subarray(cut));
      offset += cut;
      cb(null, chunk);
    },
    flush(cb) {
      if (carry) fail(0, carry, cb);
      else cb();
    },
  });
}
