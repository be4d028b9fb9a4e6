/**
 * `dlpipe-demo` (`pnpm demo`): one command, no command word — see ./command.ts.
 *
 *   pnpm demo --steps crawl --epochs 1
 */
import { demo } from './command.js';
import { runSingle } from './run-single.js';

runSingle('demo', demo, process.argv.slice(2));
