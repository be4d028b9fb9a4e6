/**
 * Compression detected by magic bytes (not the file name): gzip, zip (one member), bzip2, zstd;
 * xz is recognised and refused with a clear error. Reading gives a plain byte stream whose errors
 * name the file; writing supports plain, .gz and .zip (no maintained bz2/zstd compressor exists).
 *
 *   const { stream, compression } = await openDecompressed('table.csv.gz');
 *   const out = openCompressedWrite('table.csv.gz');   // gzip chosen by the extension
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { PassThrough, type Readable, Transform, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { checkInputFile } from '@dlpipe/core';
import { Decompress } from 'fzstd';
import unbzip2Stream from 'unbzip2-stream';
import { DataFormatError } from '../errors.js';
import { openZipMember } from './zip-read.js';
import { createZipWriter } from './zip-write.js';

export type Compression = 'none' | 'gzip' | 'zip' | 'bz2' | 'zstd' | 'xz';

/** The compression a file's first bytes announce. */
export function detectCompression(head: Uint8Array): Compression {
  const b = (i: number) => head[i] ?? -1;
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0x50 && b(1) === 0x4b && (b(2) === 3 || b(2) === 5) && (b(3) === 4 || b(3) === 6))
    return 'zip';
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68) return 'bz2';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a) return 'xz';
  return 'none';
}

/** The compression a file name asks for when writing. */
export function compressionFromName(path: string): Compression {
  const ext = /\.(gz|gzip|zip|bz2|zst|zstd|xz)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'gz' || ext === 'gzip') return 'gzip';
  if (ext === 'zst' || ext === 'zstd') return 'zstd';
  return (ext as Compression | undefined) ?? 'none';
}

/** The first bytes of a file (fewer when it is shorter). */
export async function readHead(path: string, n = 8): Promise<Buffer> {
  let fh: Awaited<ReturnType<typeof open>> | undefined;
  try {
    fh = await open(path, 'r');
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } catch (err) {
    throw new DataFormatError(path, `cannot read: ${(err as Error).message}`, { cause: err });
  } finally {
    await fh?.close();
  }
}

export interface OpenOptions {
  /** For zip archives: the member to read; default the only file in it. */
  member?: string;
}

/** A decompressed byte stream, with how far into the file it has read (for progress). */
export interface OpenedFile {
  stream: Readable;
  compression: Compression;
  /** The zip member read. */
  member?: string;
  /** Units of `position()` in the whole file: bytes on disk (zip: uncompressed bytes of the member). */
  size: number;
  position(): number;
}

/** A readable byte stream of the decompressed content. Stream errors are `DataFormatError`s naming the file. */
export async function openDecompressed(path: string, options: OpenOptions = {}): Promise<OpenedFile> {
  checkInputFile(path, 'table');
  const compression = detectCompression(await readHead(path));
  if (compression === 'xz') {
    throw new DataFormatError(
      path,
      'is xz-compressed, which dlpipe cannot read (no maintained JS library): unxz it first',
    );
  }
  let read = 0;
  const position = () => read;
  if (compression === 'zip') {
    const { stream, member, size } = await openZipMember(path, options.member);
    stream.on('data', (d: Buffer) => {
      read += d.length;
    });
    return { stream: guard(stream, path, 'zip'), compression, member, size, position };
  }
  const size = (await stat(path)).size;
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  file.on('data', (d) => {
    read += d.length;
  });
  if (compression === 'none') return { stream: guard(file, path, 'none'), compression, size, position };
  const decoder =
    compression === 'gzip' ? createGunzip() : compression === 'bz2' ? unbzip2Stream() : zstdStream();
  file.on('error', (err) => decoder.destroy(err));
  return { stream: guard(file.pipe(decoder), path, compression), compression, size, position };
}

const HOW: Record<Compression, string> = {
  none: 'cannot read the file',
  gzip: 'truncated or corrupt gzip data',
  zip: 'truncated or corrupt zip data',
  bz2: 'truncated or corrupt bzip2 data',
  zstd: 'truncated or corrupt zstd data',
  xz: 'xz data',
};

/** Re-emits the stream's errors as DataFormatErrors that name the file and the compression. */
function guard(stream: Readable, path: string, compression: Compression): Readable {
  const out = new PassThrough();
  stream.on('error', (err) => {
    // a decoder's TypeError/RangeError (unbzip2-stream: "Cannot read properties of undefined") says
    // nothing to the user: the data ended early or a block is damaged
    const detail =
      err instanceof TypeError || err instanceof RangeError
        ? 'the data ends early or a block is damaged'
        : (err as Error).message;
    const why = err instanceof DataFormatError ? err.message : `${HOW[compression]}: ${detail}`;
    const fix = compression === 'none' ? '' : ' (re-download or re-compress the file)';
    out.destroy(
      err instanceof DataFormatError ? err : new DataFormatError(path, `${why}${fix}`, { cause: err }),
    );
  });
  return stream.pipe(out);
}

/**
 * fzstd's streaming decompressor as a Transform; a stream that ends early is an error (a plain one:
 * `guard` re-emits it as a DataFormatError naming the file, as for gzip's and bzip2's own errors).
 */
function zstdStream(): Transform {
  let ended = false;
  const dec = new Decompress();
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        dec.ondata = (data, final) => {
          this.push(Buffer.from(data));
          if (final) ended = true;
        };
        dec.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb) {
      try {
        dec.push(new Uint8Array(0), true);
        cb(ended ? null : new Error('unexpected end of file (the zstd frame is incomplete)'));
      } catch (err) {
        cb(new Error(`unexpected end of file: ${(err as Error).message}`));
      }
    },
  });
}

/**
 * A writable stream that compresses by the file name (plain, .gz or .zip), and `done`: settled when
 * its file is closed, rejected when either stream fails or is destroyed before the end.
 */
export function openCompressedWrite(
  path: string,
  compression = compressionFromName(path),
  member = memberName(path),
): { stream: Writable; done: Promise<void> } {
  checkWritable(path, compression);
  const file = createWriteStream(path);
  if (compression === 'none') return { stream: file, done: finished(file) };
  if (compression === 'zip') return { stream: createZipWriter(file, member), done: finished(file) };
  const gz = createGzip();
  return { stream: gz, done: pipeline(gz, file) };
}

/** Refuses compressions dlpipe cannot write, naming the file and the alternatives. */
export function checkWritable(path: string, compression = compressionFromName(path)): void {
  if (compression === 'bz2' || compression === 'zstd' || compression === 'xz') {
    throw new DataFormatError(
      path,
      `writing ${compression} is not supported (Node has no ${compression} compressor and no maintained JS ` +
        'library writes it): write .csv.gz or .csv.zip, or compress the plain file with the command-line tool',
    );
  }
}

/** The member name of a zip written as `dir/table.csv.zip`: `table.csv`. */
export function memberName(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? 'data';
  return base.replace(/\.zip$/i, '') || 'data';
}
