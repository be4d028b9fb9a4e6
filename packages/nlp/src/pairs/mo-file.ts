/**
 * GNU gettext `.mo` catalogs (the binary form `msgfmt` writes): a header of 32-bit words in
 * either byte order (magic 0x950412de), the number of strings N and the offsets of two tables of
 * (length, offset) descriptors, one for the originals and one for the translations. A message
 * context is `msgctxt\x04msgid`; plural forms are joined by NUL (`msgid\0msgid_plural`,
 * `msgstr[0]\0msgstr[1]…`). The entry with the empty msgid is the header, whose `Content-Type`
 * names the charset the strings are decoded from (UTF-8 mostly; others through TextDecoder).
 *
 *   const cat = readMo('/usr/share/locale/fr/LC_MESSAGES/grep.mo');
 *   cat.entries.find((e) => e.msgid === '%s: binary file matches')?.msgstr; // '%s : fichiers binaires correspondent'
 *
 * Truncated or corrupt files are a `MoFormatError` naming the file and the byte offset.
 * Fuzzy entries never reach a `.mo` (msgfmt leaves them out unless `--use-fuzzy`).
 */
import { readFileSync } from 'node:fs';
import { TextDecoder } from 'node:util';
import { checkInputFile, DlpipeError } from '@dlpipe/core';

/** A `.mo` file that cannot be read as one: the message names the file and the byte offset. */
export class MoFormatError extends DlpipeError {
  readonly file: string;
  readonly offset: number;
  constructor(file: string, offset: number, problem: string, options?: { cause?: unknown }) {
    super(
      'NLP_MO_FORMAT',
      `${file}: not a valid gettext .mo catalog at byte ${offset}: ${problem}. ` +
        'Rebuild it with `msgfmt -o FILE.mo FILE.po` or reinstall the package that owns it.',
      options,
    );
    this.file = file;
    this.offset = offset;
  }
}

/** One message of a catalog (the singular of a plural message, with its other forms beside). */
export interface MoEntry {
  /** The msgctxt, when the message has one. */
  context?: string;
  /** The source text (the singular form of a plural message). */
  msgid: string;
  /** The plural source text of a plural message. */
  msgidPlural?: string;
  /** The translation (msgstr, or msgstr[0] of a plural message). */
  msgstr: string;
  /** All plural translations (msgstr[0], msgstr[1], …); `[msgstr]` for a singular message. */
  msgstrPlural: string[];
}

/** A parsed catalog: its messages in file order (sorted by msgid), header fields and charset. */
export interface MoCatalog {
  /** The file it came from ('<bytes>' for `parseMo` without a name). */
  file: string;
  /** Little-endian (as msgfmt writes on x86) or big-endian words. */
  byteOrder: 'le' | 'be';
  /** The format revision (0 or 1; 1 adds system-dependent strings, which are not read here). */
  revision: number;
  /** The messages, the header entry (empty msgid) left out. */
  entries: MoEntry[];
  /** The header's `Name: value` fields (`Content-Type`, `Language`, `Plural-Forms` …). */
  header: Record<string, string>;
  /** The charset the strings were decoded from (lowercased; 'utf-8' when the header names none). */
  charset: string;
}

const MAGIC = 0x950412de;
const HEADER_BYTES = 28;

/** A 32-bit reader in the file's byte order that fails with the offset of a short read. */
function wordReader(
  bytes: Uint8Array,
  file: string,
): { le: boolean; at(offset: number, what: string): number } {
  if (bytes.length < HEADER_BYTES) {
    throw new MoFormatError(
      file,
      bytes.length,
      `the file is ${bytes.length} bytes, shorter than the ${HEADER_BYTES}-byte header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  if (view.getUint32(0, true) === MAGIC) le = true;
  else if (view.getUint32(0, false) === MAGIC) le = false;
  else {
    const got = view.getUint32(0, false).toString(16).padStart(8, '0');
    throw new MoFormatError(file, 0, `magic number 0x${got}, expected 0x950412de (either byte order)`);
  }
  return {
    le,
    at(offset, what) {
      if (offset + 4 > bytes.length)
        throw new MoFormatError(file, offset, `the file ends (${bytes.length} bytes) inside ${what}`);
      return view.getUint32(offset, le);
    },
  };
}

/** The raw bytes of string i of the table at `table`. */
function stringAt(
  bytes: Uint8Array,
  words: ReturnType<typeof wordReader>,
  file: string,
  table: number,
  i: number,
  which: string,
): Uint8Array {
  const desc = table + i * 8;
  const length = words.at(desc, `the ${which} table entry ${i}`);
  const offset = words.at(desc + 4, `the ${which} table entry ${i}`);
  if (offset + length > bytes.length) {
    throw new MoFormatError(
      file,
      desc,
      `${which} string ${i} spans bytes ${offset}..${offset + length}, past the end of the file (${bytes.length} bytes)`,
    );
  }
  return bytes.subarray(offset, offset + length);
}

/** `Name: value` lines of a header entry. */
export function parseMoHeader(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return out;
}

/** The charset named by a `Content-Type: text/plain; charset=X` value ('utf-8' when none). */
function charsetOf(header: Record<string, string>): string {
  const m = /charset=([^\s;]+)/i.exec(header['Content-Type'] ?? '');
  const cs = m?.[1]?.toLowerCase();
  return !cs || cs === 'charset' || cs === 'ascii' || cs === 'us-ascii' ? 'utf-8' : cs;
}

function decoderFor(charset: string, file: string, offset: number): TextDecoder {
  try {
    return new TextDecoder(charset, { fatal: true });
  } catch (cause) {
    throw new MoFormatError(
      file,
      offset,
      `the header names charset '${charset}', which this Node cannot decode`,
      {
        cause,
      },
    );
  }
}

function decode(
  decoder: TextDecoder,
  raw: Uint8Array,
  file: string,
  offset: number,
  charset: string,
): string {
  try {
    return decoder.decode(raw);
  } catch (cause) {
    throw new MoFormatError(file, offset, `a string is not valid ${charset}`, { cause });
  }
}

/** Parses the bytes of a `.mo` file (`file` names it in errors). */
export function parseMo(bytes: Uint8Array, file = '<bytes>'): MoCatalog {
  const words = wordReader(bytes, file);
  const revision = words.at(4, 'the header');
  if (revision >>> 16 > 1)
    throw new MoFormatError(
      file,
      4,
      `format revision ${revision >>> 16}.${revision & 0xffff}, expected 0 or 1`,
    );
  const n = words.at(8, 'the header');
  const origTable = words.at(12, 'the header');
  const transTable = words.at(16, 'the header');
  for (const [table, which] of [
    [origTable, 'original'],
    [transTable, 'translation'],
  ] as const) {
    if (table + n * 8 > bytes.length)
      throw new MoFormatError(
        file,
        table,
        `the ${which} table of ${n} entries runs past the end of the file (${bytes.length} bytes)`,
      );
  }
  const originals: Uint8Array[] = [];
  const translations: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    originals.push(stringAt(bytes, words, file, origTable, i, 'original'));
    translations.push(stringAt(bytes, words, file, transTable, i, 'translation'));
  }
  const headerIndex = originals.findIndex((o) => o.length === 0);
  const latin1 = new TextDecoder('latin1');
  const header = headerIndex === -1 ? {} : parseMoHeader(latin1.decode(translations[headerIndex]));
  const charset = charsetOf(header);
  const decoder = decoderFor(charset, file, headerIndex === -1 ? 0 : transTable + headerIndex * 8);
  const entries: MoEntry[] = [];
  for (let i = 0; i < n; i++) {
    if (i === headerIndex) continue;
    const o = decode(decoder, originals[i] as Uint8Array, file, origTable + i * 8, charset);
    const t = decode(decoder, translations[i] as Uint8Array, file, transTable + i * 8, charset);
    entries.push(entryOf(o, t));
  }
  const decodedHeader =
    headerIndex === -1
      ? {}
      : parseMoHeader(decode(decoder, translations[headerIndex] as Uint8Array, file, transTable, charset));
  return { file, byteOrder: words.le ? 'le' : 'be', revision, entries, header: decodedHeader, charset };
}

/** An entry from a decoded original (`ctx\x04id\0plural`) and translation (`s0\0s1…`). */
function entryOf(original: string, translation: string): MoEntry {
  const eot = original.indexOf('\x04');
  const context = eot === -1 ? undefined : original.slice(0, eot);
  const [msgid = '', msgidPlural] = original.slice(eot + 1).split('\0');
  const msgstrPlural = translation.split('\0');
  const entry: MoEntry = { msgid, msgstr: msgstrPlural[0] ?? '', msgstrPlural };
  if (context !== undefined) entry.context = context;
  if (msgidPlural !== undefined) entry.msgidPlural = msgidPlural;
  return entry;
}

/** Reads and parses a `.mo` file (a PathError when it is missing or a folder). */
export function readMo(path: string): MoCatalog {
  checkInputFile(path, 'gettext catalog');
  return parseMo(readFileSync(path), path);
}
