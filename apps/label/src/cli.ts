/**
 * `dlpipe-label` (`pnpm label <command>`): semi-supervised self-training and the label store,
 * commands chosen from an explicit registry.
 *
 *   pnpm label self-train --data x.csv --label-col y --out labeled.csv --store labels.sqlite
 */
import { DlpipeError } from '@dlpipe/tensor';
import type { Command } from './args.js';
import { importCmd } from './commands/import.js';
import { review } from './commands/review.js';
import { selfTrain } from './commands/self-train.js';
import { exportCmd, stats } from './commands/stats.js';

export const COMMANDS: Record<string, Command> = {
  'self-train': selfTrain,
  review,
  import: importCmd,
  stats,
  export: exportCmd,
};

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`);
  return `usage: pnpm label <command> [options]   (pnpm label <command> --help)\n\ncommands:\n${rows.join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    console.error(`dlpipe-label: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`dlpipe-label: ${msg}`);
    if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    process.exit(err instanceof DlpipeError ? 2 : 1);
  },
);
