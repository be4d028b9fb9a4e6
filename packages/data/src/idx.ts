/**
 * The IDX format of MNIST-style datasets (LeCun's): a magic number giving the element type and
 * rank, the dimensions as big-endian uint32, then the data. Files may be gzip-compressed; the
 * compression is detected by its magic bytes, not the file name.
 *
 *   const { dims, data } = readIdxFile('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz');
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DataFormatError } from './errors.js';

export interface IdxArray {
  dims: number[];
  /** uint8 data (the only type MNIST-format files use). */
  data: Uint8Array;
}

const UBYTE = 0x08;

/** True for a gzip stream (1f 8b). */
export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/** Parses an IDX buffer (already decompressed). `file` is used in error messages. */
export function parseIdx(buf: Uint8Array, file = '<buffer>'): IdxArray {
  if (buf.length < 4) throw new DataFormatError(file, `too short for an IDX header (${buf.length} bytes)`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint16(0) !== 0) {
    throw new DataFormatError(file, 'not an IDX file: the first two bytes must be zero');
  }
  const type = view.getUint8(2);
  const rank = view.getUint8(3);
  if (type !== UBYTE) {
    throw new DataFormatError(
      file,
      `IDX element type 0x${type.toString(16)} is not supported (expected 0x08, ubyte)`,
    );
  }
  const header = 4 + 4 * rank;
  if (rank === 0 || buf.length < header) throw new DataFormatError(file, `bad IDX rank ${rank}`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  if (buf.length - header !== count) {
    throw new DataFormatError(
      file,
      `IDX header says ${dims.join('×')} = ${count} values but the file holds ${buf.length - header} (truncated?)`,
    );
  }
  return { dims, data: buf.subarray(header) };
}

/** Reads an IDX file, plain or gzipped. */
export function readIdxFile(file: string): IdxArray {
  let buf: Uint8Array;
  try {
    buf = readFileSync(file);
  } catch (err) {
    throw new DataFormatError(file, `cannot read: ${(err as Error).message}`, { cause: err });
  }
  if (isGzip(buf)) {
    try {
      buf = gunzipSync(buf);
    } catch (err) {
      throw new DataFormatError(file, `corrupt gzip data: ${(err as Error).message}`, { cause: err });
    }
  }
  return parseIdx(buf, file);
}
