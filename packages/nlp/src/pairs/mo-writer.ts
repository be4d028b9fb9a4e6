/**
 * Writes gettext `.mo` bytes (the inverse of `parseMo`): fixtures for tests and small catalogs
 * without `msgfmt`. Messages are sorted by their original (as msgfmt does); the header entry
 * (empty msgid) comes from `header`; no hash table is written (readers do not need one).
 *
 *   const bytes = buildMo([{ msgid: 'File', msgstr: 'Fichier' }], { header: { Language: 'fr' } });
 *   parseMo(bytes).entries[0].msgstr; // 'Fichier'
 */
import type { MoEntry } from './mo-file.js';

/** A message to write: as `MoEntry`, with `msgstrPlural` optional for singular messages. */
export type MoMessage = Omit<MoEntry, 'msgstrPlural'> & { msgstrPlural?: string[] };

export interface BuildMoOptions {
  /** Byte order of the 32-bit words. Default 'le'. */
  byteOrder?: 'le' | 'be';
  /** Header fields; `Content-Type` defaults to UTF-8. Default `{}` (plus the Content-Type). */
  header?: Record<string, string>;
  /** Leave out the header entry altogether. Default false. */
  noHeader?: boolean;
  /** Encodes a string (for catalogs in another charset). Default UTF-8. */
  encode?: (s: string) => Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function originalOf(m: MoMessage): string {
  const id = m.msgidPlural === undefined ? m.msgid : `${m.msgid}\0${m.msgidPlural}`;
  return m.context === undefined ? id : `${m.context}\x04${id}`;
}

/** The bytes of a `.mo` file holding `messages`. */
export function buildMo(messages: readonly MoMessage[], options: BuildMoOptions = {}): Uint8Array {
  const encode = options.encode ?? utf8;
  const header = { 'Content-Type': 'text/plain; charset=UTF-8', ...options.header };
  const pairs: [Uint8Array, Uint8Array][] = messages.map((m) => [
    encode(originalOf(m)),
    encode((m.msgstrPlural ?? [m.msgstr]).join('\0')),
  ]);
  if (!options.noHeader) {
    const text = Object.entries(header)
      .map(([k, v]) => `${k}: ${v}\n`)
      .join('');
    pairs.push([new Uint8Array(0), encode(text)]);
  }
  pairs.sort((a, b) => Buffer.compare(a[0], b[0]));
  const n = pairs.length;
  const origTable = 28;
  const transTable = origTable + n * 8;
  let offset = transTable + n * 8;
  const layout = (s: Uint8Array): [number, number] => {
    const at = offset;
    offset += s.length + 1;
    return [s.length, at];
  };
  const origDesc = pairs.map(([o]) => layout(o));
  const transDesc = pairs.map(([, t]) => layout(t));
  const out = new Uint8Array(offset);
  const view = new DataView(out.buffer);
  const le = (options.byteOrder ?? 'le') === 'le';
  const words = [0x950412de, 0, n, origTable, transTable, 0, offset];
  for (const [i, w] of words.entries()) view.setUint32(i * 4, w, le);
  const put = (desc: [number, number][], table: number, which: 0 | 1) =>
    desc.forEach(([len, at], i) => {
      view.setUint32(table + i * 8, len, le);
      view.setUint32(table + i * 8 + 4, at, le);
      out.set((pairs[i] as [Uint8Array, Uint8Array])[which], at);
    });
  put(origDesc, origTable, 0);
  put(transDesc, transTable, 1);
  return out;
}
