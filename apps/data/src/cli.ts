/**
 * `dlpipe-data` (`pnpm data <command>`): convert, inspect, split and download tables, with
 * commands chosen from an explicit registry.
 *
 *   pnpm data convert in.csv.gz out.feather
 */
import { runCli } from '@dlpipe/tensor';
import type { Command } from './args.js';
import { convert } from './commands/convert.js';
import { download } from './commands/download.js';
import { head, info } from './commands/head.js';
import { split } from './commands/split.js';

export const COMMANDS: Record<string, Command> = { convert, head, info, split, download };

runCli('data', COMMANDS, process.argv.slice(2));
