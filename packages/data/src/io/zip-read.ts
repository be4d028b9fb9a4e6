/**
 * Reads one member of a zip archive as a stream (yauzl). Like pandas, an archive must hold exactly
 * one file unless a member is named; directories and macOS metadata (`__MACOSX/`, `.DS_Store`)
 * are ignored.
 *
 *   const { stream, member } = await openZipMember('table.csv.zip');
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { DataFormatError } from '../errors.js';

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || !zip) {
        const msg = err?.message ?? 'unknown error';
        const hint = /central directory/i.test(msg) ? ' (the archive is truncated or not a zip)' : '';
        reject(new DataFormatError(path, `cannot open the zip archive: ${msg}${hint}`, { cause: err }));
      } else resolve(zip);
    });
  });
}

function listEntries(zip: yauzl.ZipFile, path: string): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', (err: Error) =>
      reject(new DataFormatError(path, `corrupt zip directory: ${err.message}`, { cause: err })),
    );
    zip.readEntry();
  });
}

function isData(e: yauzl.Entry): boolean {
  const n = e.fileName;
  return !n.endsWith('/') && !n.startsWith('__MACOSX/') && !n.endsWith('.DS_Store');
}

/** The member's decompressed stream; the archive closes when the stream ends. */
export async function openZipMember(
  path: string,
  member?: string,
): Promise<{ stream: Readable; member: string; size: number }> {
  const zip = await openZip(path);
  try {
    const files = (await listEntries(zip, path)).filter(isData);
    const names = files.map((e) => e.fileName);
    const entry = member === undefined ? files[0] : files.find((e) => e.fileName === member);
    if (member !== undefined && !entry) {
      throw new DataFormatError(path, `has no member '${member}'; it holds [${names.join(', ')}]`);
    }
    if (member === undefined && files.length !== 1) {
      throw new DataFormatError(
        path,
        files.length === 0
          ? 'the zip archive holds no file'
          : `the zip archive holds ${files.length} files [${names.join(', ')}]; a table needs exactly one: ` +
              'name the member (--member / { member }) or extract the one you want',
      );
    }
    const stream = await new Promise<Readable>((resolve, reject) => {
      zip.openReadStream(entry!, (err, s) => (err || !s ? reject(err) : resolve(s)));
    });
    stream.on('close', () => zip.close());
    stream.on('end', () => zip.close());
    return { stream, member: entry!.fileName, size: entry!.uncompressedSize };
  } catch (err) {
    zip.close();
    if (err instanceof DataFormatError) throw err;
    throw new DataFormatError(path, `cannot read the zip member: ${(err as Error).message}`, { cause: err });
  }
}
