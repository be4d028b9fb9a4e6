/**
 * `dlpipe-data` (`pnpm data <command>`): convert, inspect, split and download tables, with
 * commands chosen from an explicit registry.
 *
 *   pnpm data convert in.csv.gz out.feather
 */
import { DlpipeError } from '@dlpipe/tensor';
import type { Command } from './args.js';
import { convert } from './commands/convert.js';
import { download } from './commands/download.js';
import { head, info } from './commands/head.js';
import { split } from './commands/split.js';

export const COMMANDS: Record<string, Command> = { convert, head, info, split, download };

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `usage: pnpm data <command> [options]   (pnpm data <command> --help)\n\ncommands:\n${rows.join('\n')}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    console.error(`dlpipe-data: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`dlpipe-data: ${msg}`);
    if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    process.exit(err instanceof DlpipeError ? 2 : 1);
  },
);
