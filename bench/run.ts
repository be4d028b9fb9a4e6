/**
 * `pnpm bench <name> [...]` — dlpipe's benchmarks, chosen from an explicit registry.
 *
 *   pnpm bench engine --quick --backends cpu,wasm
 */

/** A benchmark: one line of what it measures, and its entry (loaded only when chosen). */
interface Benchmark {
  summary: string;
  load(): Promise<{ main(argv: string[]): Promise<number> }>;
}

const BENCHMARKS: Record<string, Benchmark> = {
  data: {
    summary:
      'tables: read time and peak RSS of CSV, CSV.gz, CSV.zip, Feather; 1 GB CSV → Feather in bounded memory',
    load: () => import('./data.js'),
  },
  engine: {
    summary: 'compute engine: train/forward step time per backend and model vs PyTorch, sgemm GFLOP/s',
    load: () => import('./engine.js'),
  },
  vision: {
    summary: "d2l's LeNet and LeNet-BN on Fashion-MNIST: accuracy and time per epoch vs PyTorch",
    load: () => import('./vision.js'),
  },
  tinyssd: {
    summary: 'd2l §14.7 TinySSD on bananas: loss, class error, bbox MAE, examples/s, detection figure',
    load: () => import('./detection-tinyssd.js'),
  },
  yolo: {
    summary: 'YOLO on emoji-10: loss, s/epoch and val mAP50 / mAP50-95, next to the same net in PyTorch',
    load: () => import('./detection-yolo.js'),
  },
  finetune: { summary: 'MobileNetV2 fine-tuned vs scratch, d2l §14.2', load: () => import('./finetune.js') },
  nlp: {
    summary:
      'tokenizer overhead vs natural/nodejieba, WordPiece vs a plain loop, char-GRU LM tokens/s vs PyTorch',
    load: () => import('./nlp.js'),
  },
  profile: {
    summary: 'per-kernel time of one model step on one backend (where the time goes)',
    load: () => import('./profile.js'),
  },
  scrape: {
    summary: 'crawler pages/s and peak RSS vs a bare playwright loop, 500 local pages',
    load: () => import('./scrape.js'),
  },
  startup: {
    summary: 'CLI start-up: pnpm <app> --help and a tfjs command, from the JS build vs tsx (goal ≤ 0.5 s)',
    load: () => import('./startup.js'),
  },
};

function usage(): string {
  const rows = Object.entries(BENCHMARKS).map(([name, b]) => `  ${name.padEnd(10)} ${b.summary}`);
  return `usage: pnpm bench <name> [options]\n\nbenchmarks:\n${rows.join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stderr.write(usage());
    return name === undefined ? 2 : 0;
  }
  const bench = Object.hasOwn(BENCHMARKS, name) ? BENCHMARKS[name] : undefined;
  if (!bench) {
    const known = Object.keys(BENCHMARKS).join(', ');
    process.stderr.write(`pnpm bench: unknown benchmark '${name}'; known: ${known}\n\n${usage()}`);
    return 2;
  }
  return (await bench.load()).main(rest);
}

process.exitCode = await main(process.argv.slice(2));
