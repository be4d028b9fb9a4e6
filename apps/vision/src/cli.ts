/**
 * `dlpipe-vision` (`pnpm vision …`): train, evaluate and run d2l's CNNs, fine-tune MobileNetV2,
 * preview augmentation, list the zoo.
 *
 *   pnpm vision train --model lenet --dataset fashion-mnist --epochs 10 --lr 0.9
 */
import { DlpipeError, initBackend } from '@dlpipe/tensor';
import { parseVisionArgs, USAGE } from './args.js';
import { evaluateRun, finetune, models, predict, preview, train } from './commands.js';

async function main(): Promise<number> {
  const o = parseVisionArgs(process.argv.slice(2));
  if (o === 'help') {
    console.log(USAGE);
    return 0;
  }
  await initBackend();
  const run = { train, eval: evaluateRun, predict, finetune, preview, models: async () => models() }[
    o.command
  ];
  for (const line of await run(o)) console.log(line);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const msg = err instanceof Error ? err.message : String(err);
    console.error(`dlpipe-vision: ${msg}`);
    if (process.env.DLPIPE_DEBUG && err instanceof Error) console.error(err.stack);
    process.exit(err instanceof DlpipeError ? 2 : 1);
  },
);
