/**
 * `pnpm demo`, one command: dlpipe's main job on embedded defaults — one pipeline where each step
 * consumes the previous step's output under `--out`: crawl a local clothing shop, label its
 * products semi-supervised from the few categories the pages show, train a CNN on the labels +
 * pseudo-labels, and report what each step contributed. A failed step stops the ones after it
 * (they would have no input); the steps load only when the command runs, so `--help` and bad
 * flags answer at once.
 *
 *   pnpm demo --steps train,report --out runs/demo
 */
import { defineCommand, describeError, ensureDir } from '@dlpipe/core';
import { type DemoOptions, demoFlags } from './options.js';

/** Runs the steps in order; the exit status is 0, or the failed step's. */
async function runSteps(o: DemoOptions): Promise<number> {
  ensureDir(o.out, 'output folder');
  const [{ STEPS }, { formatBackend, initBackend }] = await Promise.all([
    import('./steps.js'),
    import('@dlpipe/tensor'),
  ]);
  if (o.verbose || o.steps.some((s) => s === 'label' || s === 'train')) {
    const backend = await initBackend(); // the crawl and the report need no tensors
    if (o.verbose) console.error(formatBackend(backend));
  }
  for (const name of o.steps) {
    console.log(`== ${name}`);
    try {
      console.log(await STEPS[name](o));
    } catch (err) {
      const { line, exitCode } = describeError(err);
      console.error(`dlpipe-demo: step '${name}' failed: ${line}`);
      if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
      return exitCode;
    }
  }
  return 0;
}

export const demo = defineCommand({
  summary: "dlpipe's main job on embedded defaults: scrape → label → train",
  description: `One pipeline, each step reading the previous step's output under --out:
  crawl   serve a clothing shop on 127.0.0.1 (Fashion-MNIST test images as product photos, the
          category shown on 5% of the pages), crawl it in headless Chromium (robots.txt,
          retries), save the photos hashed, export the dataset and image manifest    → scrape/
  label   self-train a classifier from the scraped categories on the photos' features;
          pseudo-labels with confidences into the label store, a review queue         → label/
  train   train a CNN on labeled-only, labeled + pseudo-labels, and all true labels;
          test accuracy on held-out products                                          → train/
  report  report.json, report.html and accuracy.png: what each step contributed`,
  flags: demoFlags,
  examples: [
    'pnpm demo',
    'pnpm demo --steps label,train,report --compare-features',
    'pnpm demo --products 500 --train-steps 200 --out runs/small',
  ],
  run: runSteps,
});
