/** Typed errors of @dlpipe/data; each names the file and what was expected. */
import { DlpipeError } from '@dlpipe/tensor';

/** A data file that is missing, truncated or not in the expected format. */
export class DataFormatError extends DlpipeError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('DATA_FORMAT', `${file}: ${message}`, options);
    this.file = file;
  }
}
