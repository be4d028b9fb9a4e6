/**
 * `dlpipe-demo` (`pnpm demo`): dlpipe's main job on embedded defaults — crawl a local site,
 * self-train with 5% of the labels, train d2l's LeNet on Fashion-MNIST — each step writing under
 * `--out`. A step that fails says why; the others still run, and the exit code tells.
 */
import { join } from 'node:path';
import { DlpipeError, formatBackend, initBackend } from '@dlpipe/tensor';
import { type DemoOptions, type DemoStep, parseDemoArgs, USAGE } from './args.js';
import { runCrawl, runLabel, runTrain } from './steps.js';

const STEPS: Record<DemoStep, (o: DemoOptions, dir: string) => Promise<string>> = {
  crawl: runCrawl,
  label: runLabel,
  train: runTrain,
};

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function main(): Promise<number> {
  const o = parseDemoArgs(process.argv.slice(2));
  if (o === 'help') {
    console.log(USAGE);
    return 0;
  }
  const backend = await initBackend();
  if (o.verbose) console.error(formatBackend(backend));
  let failed = 0;
  for (const step of o.steps) {
    console.log(`== ${step}`);
    try {
      console.log(await STEPS[step](o, join(o.out, step === 'crawl' ? 'scrape' : step)));
    } catch (err) {
      failed++;
      console.error(`dlpipe-demo: step '${step}' failed: ${message(err)}`);
      if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    }
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`dlpipe-demo: ${message(err)}`);
    if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    process.exit(err instanceof DlpipeError ? 2 : 1);
  },
);
