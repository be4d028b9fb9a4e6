/**
 * A streaming zip writer for one member (deflate, sizes in a data descriptor), enough for
 * `table.csv.zip` as pandas writes it. Archives over 4 GiB (zip64) are refused with a clear error.
 *
 *   const zip = createZipWriter(createWriteStream('t.csv.zip'), 't.csv'); zip.end('a,b\n1,2\n');
 */
import type { Writable as NodeWritable } from 'node:stream';
import { Writable } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';
import { DataFormatError } from '../errors.js';

const LIMIT = 0xffffffff;

function dosTime(d: Date): { time: number; date: number } {
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

function localHeader(name: Buffer, t: { time: number; date: number }): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
  h.writeUInt16LE(0x0808, 6); // data descriptor follows; UTF-8 name
  h.writeUInt16LE(8, 8); // deflate
  h.writeUInt16LE(t.time, 10);
  h.writeUInt16LE(t.date, 12);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

function trailer(
  name: Buffer,
  t: { time: number; date: number },
  crc: number,
  csize: number,
  usize: number,
  offset: number,
): Buffer {
  const dd = Buffer.alloc(16);
  dd.writeUInt32LE(0x08074b50, 0);
  dd.writeUInt32LE(crc >>> 0, 4);
  dd.writeUInt32LE(csize, 8);
  dd.writeUInt32LE(usize, 12);
  const cd = Buffer.alloc(46);
  cd.writeUInt32LE(0x02014b50, 0);
  cd.writeUInt16LE(20, 4);
  cd.writeUInt16LE(20, 6);
  cd.writeUInt16LE(0x0808, 8);
  cd.writeUInt16LE(8, 10);
  cd.writeUInt16LE(t.time, 12);
  cd.writeUInt16LE(t.date, 14);
  cd.writeUInt32LE(crc >>> 0, 16);
  cd.writeUInt32LE(csize, 20);
  cd.writeUInt32LE(usize, 24);
  cd.writeUInt16LE(name.length, 28);
  const cdStart = offset + 16;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(46 + name.length, 12);
  eocd.writeUInt32LE(cdStart, 16);
  return Buffer.concat([dd, cd, name, eocd]);
}

/** A Writable whose bytes become the single member `memberName` of a zip written to `out`. */
export function createZipWriter(out: NodeWritable, memberName: string): Writable {
  const name = Buffer.from(memberName, 'utf8');
  const t = dosTime(new Date());
  const deflate = createDeflateRaw();
  let crc = 0;
  let usize = 0;
  let csize = 0;
  const header = localHeader(name, t);
  out.write(header);
  deflate.on('data', (d: Buffer) => {
    csize += d.length;
    if (!out.write(d)) {
      deflate.pause();
      out.once('drain', () => deflate.resume());
    }
  });
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      crc = crc32(chunk, crc);
      usize += chunk.length;
      if (usize > LIMIT) {
        cb(
          new DataFormatError(
            memberName,
            'the zip member would exceed 4 GiB, which needs zip64 (not supported): write .csv.gz instead',
          ),
        );
        return;
      }
      if (deflate.write(chunk)) cb();
      else deflate.once('drain', () => cb());
    },
    final(cb) {
      deflate.once('end', () => {
        if (csize > LIMIT) {
          cb(
            new DataFormatError(
              memberName,
              'the compressed zip member exceeds 4 GiB (zip64 not supported): write .csv.gz instead',
            ),
          );
          return;
        }
        out.end(trailer(name, t, crc, csize, usize, header.length + csize), () => cb());
      });
      deflate.once('error', cb);
      deflate.end();
    },
    destroy(err, cb) {
      deflate.destroy();
      out.destroy(err ?? undefined);
      cb(err);
    },
  });
}
