/**
 * `dlpipe-demo` (`pnpm demo`): one command, no command word — see ./command.ts.
 *
 *   pnpm demo --steps crawl --epochs 1
 */
import { runCli } from '@dlpipe/core';
import { demo } from './command.js';

runCli('demo', demo, process.argv.slice(2));
