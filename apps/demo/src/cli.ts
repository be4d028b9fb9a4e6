/**
 * `dlpipe-demo` (`pnpm demo`): dlpipe's main job on embedded defaults. For now: d2l's MLP on
 * real Fashion-MNIST for one epoch, then metrics JSON, learning curve and confusion matrix PNGs.
 */
import { DlpipeError, formatBackend, initBackend } from '@dlpipe/tensor';
import { parseDemoArgs, USAGE } from './args.js';
import { trainMlp } from './train-mlp.js';

async function main(): Promise<number> {
  const o = parseDemoArgs(process.argv.slice(2));
  if (o === 'help') {
    console.log(USAGE);
    return 0;
  }
  const backend = await initBackend();
  if (o.verbose) console.error(formatBackend(backend));
  const r = await trainMlp(o, backend);
  console.log(
    `${r.dataset}: test accuracy ${r.testAccuracy.toFixed(4)}, macro F1 ${r.macroF1.toFixed(4)} ` +
      `(backend ${r.backend}, ${r.seconds.toFixed(1)} s)`,
  );
  console.log(`wrote ${r.files.join(', ')}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = err instanceof DlpipeError || err instanceof Error ? err.message : String(err);
    console.error(`dlpipe-demo: ${msg}`);
    if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    process.exit(err instanceof DlpipeError ? 2 : 1);
  },
);
