/**
 * `dlpipe-data` (`pnpm data <command>`): convert, inspect, split and download tables, with
 * commands chosen from an explicit registry, each loaded only when chosen (so `--help` answers
 * before apache-arrow and the decompressors load).
 *
 *   pnpm data convert in.csv.gz out.feather
 */
import { type CommandEntry, lazy, runCli } from '@dlpipe/core';

export const COMMANDS: Record<string, CommandEntry> = {
  convert: lazy(
    'convert a table between CSV (any compression) and Feather',
    async () => (await import('./commands/convert.js')).convert,
  ),
  head: lazy('print the first rows of a table', async () => (await import('./commands/head.js')).head),
  info: lazy(
    'print dtypes, missing values and statistics per column',
    async () => (await import('./commands/head.js')).info,
  ),
  split: lazy(
    'split a table into train/val/test files (seeded, optionally stratified)',
    async () => (await import('./commands/split.js')).split,
  ),
  download: lazy(
    "download a dataset's canonical files (mnist, fashion-mnist) with checksums",
    async () => (await import('./commands/download.js')).download,
  ),
};

runCli('data', COMMANDS, process.argv.slice(2));
