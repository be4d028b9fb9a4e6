/**
 * Typed errors of @dlpipe/data; each names the file (and line/column where there is one), what
 * was received, what was expected and how to fix it.
 *
 *   try { await readCsv('x.csv') } catch (e) { if (e instanceof CsvError) console.error(e.line) }
 */
import { DlpipeError } from '@dlpipe/core';

/** A data file that is missing, truncated or not in the expected format. */
export class DataFormatError extends DlpipeError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('DATA_FORMAT', `${file}: ${message}`, options);
    this.file = file;
  }
}

/** A CSV row that cannot be read: the message names file, line and (where known) column. */
export class CsvError extends DlpipeError {
  readonly file: string;
  readonly line: number | undefined;
  readonly column: string | undefined;
  constructor(
    file: string,
    where: { line?: number; column?: string },
    message: string,
    options?: { cause?: unknown },
  ) {
    const loc = [
      where.line !== undefined ? `line ${where.line}` : '',
      where.column ? `column '${where.column}'` : '',
    ]
      .filter(Boolean)
      .map((part) => `, ${part}`)
      .join('');
    super('CSV', `${file}${loc}: ${message}`, options);
    this.file = file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** A column that is missing, of the wrong type, or of the wrong length. */
export class ColumnError extends DlpipeError {
  readonly column: string;
  constructor(column: string, message: string) {
    super('COLUMN', `column '${column}': ${message}`);
    this.column = column;
  }
}

/** A transform used before `fit`, or loaded from a file written by another transform. */
export class TransformError extends DlpipeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TRANSFORM', message, options);
  }
}

/** A download that failed or whose checksum does not match. */
export class DownloadError extends DlpipeError {
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super('DOWNLOAD', `${url}: ${message}`, options);
    this.url = url;
  }
}
