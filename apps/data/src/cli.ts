/**
 * `dlpipe-data` (`pnpm data <command>`): convert, inspect, split and download tables, with
 * commands chosen from an explicit registry.
 *
 *   pnpm data convert in.csv.gz out.feather
 */
import { type CommandEntry, runCli } from '@dlpipe/core';
import { convert } from './commands/convert.js';
import { download } from './commands/download.js';
import { head, info } from './commands/head.js';
import { split } from './commands/split.js';

export const COMMANDS: Record<string, CommandEntry> = { convert, head, info, split, download };

runCli('data', COMMANDS, process.argv.slice(2));
