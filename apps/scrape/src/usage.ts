/**
 * The light part of the CLI (no package imports): the command shape and the usage errors, so
 * `dlpipe-scrape --help` and typos answer at once, before a command's modules load.
 *
 *   throw new UsageError("unknown command 'crawl'", usage());
 */

/** Bad command-line usage: printed with the command's usage, exit status 1. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
  }
}

/** `--help` was given: print the usage, exit 0. */
export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super('help');
  }
}

/** A command of the CLI (its one-line summary is in cli.ts's registry). */
export interface Command {
  usage: string;
  main(argv: string[]): Promise<number>;
}
