/**
 * `pnpm demo`, one command: dlpipe's main job on embedded defaults — crawl a local site,
 * self-train with 5% of the labels, train d2l's LeNet on Fashion-MNIST — each step writing under
 * `--out`. A step that fails says why; the others still run, and the exit code tells. The steps
 * load only when the command runs, so `--help` and bad flags answer at once.
 *
 *   pnpm demo --steps crawl,label --out runs/demo
 */
import { join } from 'node:path';
import { checkInputDir, defineCommand, describeError, ensureDir } from '@dlpipe/core';
import { type DemoOptions, demoFlags } from './options.js';

/** Bad paths are found before any step runs, so nothing is half done. */
function checkPaths(o: DemoOptions): void {
  const usesDataset = o.steps.some((s) => s !== 'crawl');
  if (usesDataset && o.dataset !== 'fashion-mnist' && o.dataset !== 'mnist') {
    checkInputDir(o.dataset, 'dataset folder of idx files');
  }
  ensureDir(o.out, 'output folder');
}

/** Runs the steps in order; the exit status is 0, or the failed steps' common status (else 1). */
async function runSteps(o: DemoOptions): Promise<number> {
  checkPaths(o);
  const [{ STEPS }, { formatBackend, initBackend }] = await Promise.all([
    import('./steps.js'),
    import('@dlpipe/tensor'),
  ]);
  if (o.verbose || o.steps.some((s) => s !== 'crawl')) {
    const backend = await initBackend(); // the crawl needs no tensors
    if (o.verbose) console.error(formatBackend(backend));
  }
  const failed: number[] = [];
  for (const name of o.steps) {
    const step = STEPS[name];
    console.log(`== ${name}`);
    try {
      console.log(await step.run(o, join(o.out, step.dir)));
    } catch (err) {
      const { line, exitCode } = describeError(err);
      failed.push(exitCode);
      console.error(`dlpipe-demo: step '${name}' failed: ${line}`);
      if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    }
  }
  if (failed.length === 0) return 0;
  return failed.every((c) => c === failed[0]) ? failed[0]! : 1;
}

export const demo = defineCommand({
  summary: "dlpipe's main job on embedded defaults",
  description: `The main job on embedded defaults, each step writing under --out:
  crawl  serve the small shop site in data/scrape on 127.0.0.1, crawl it in headless Chromium,
         export the dataset (JSONL, CSV, Feather) and the image manifest      → scrape/
  label  self-train a classifier with 5% of the labels, holdout accuracy of
         labeled-only vs self-trained                                          → label/
  train  train d2l's LeNet (or MLP) on Fashion-MNIST for --epochs, then metrics.json,
         curves.png, confusion-matrix.png and misclassified.png                → train/`,
  flags: demoFlags,
  examples: [
    'pnpm demo',
    'pnpm demo --steps crawl,label',
    'pnpm demo --steps train --model mlp --epochs 2 --limit 3000 --out runs/mlp',
  ],
  run: runSteps,
});
