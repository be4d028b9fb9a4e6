/**
 * What each step of `pnpm demo` hands to the next: a JSON file in its folder under `--out`
 * (`scrape/crawl.json`, `label/label.json`, `train/train.json`). A step run alone (`--steps train`)
 * reads its predecessors' files and, when one is missing or unreadable, says which step to run.
 *
 *   await writeStepFile('runs/demo', 'crawl', result);
 *   const crawl = readStepFile<CrawlOutput>('runs/demo', 'crawl');  // DemoInputError when missing
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DlpipeError, ensureDir, writeFileAtomic } from '@dlpipe/core';

/** Each step's hand-over file, relative to `--out`. */
export const STEP_FILES = {
  crawl: 'scrape/crawl.json',
  label: 'label/label.json',
  train: 'train/train.json',
} as const;
export type HandOverStep = keyof typeof STEP_FILES;

/** A step's input from an earlier step is missing or unreadable (exit 2: run that step first). */
export class DemoInputError extends DlpipeError {
  constructor(message: string) {
    super('DEMO_INPUT', message);
  }
}

export interface CrawlOutput {
  /** Pages crawled (done). */
  pages: number;
  /** Product records extracted. */
  products: number;
  /** Photos saved. */
  images: number;
  /** Pages left out by robots.txt or not HTML. */
  skipped: number;
  failed: number;
  dataset: string;
  feather: string;
  manifest: string;
  runDir: string;
  /** The true categories, for scoring only. */
  truth: string;
  categories: string[];
  seed: number;
  seconds: number;
}

export async function writeStepFile(out: string, step: HandOverStep, value: object): Promise<string> {
  const file = join(out, STEP_FILES[step]);
  ensureDir(dirname(file), `the ${step} step's folder`);
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** The hand-over file of `step` under `out`, or a DemoInputError naming the step to run first. */
export function readStepFile<T>(out: string, step: HandOverStep): T {
  const file = join(out, STEP_FILES[step]);
  if (!existsSync(file)) {
    throw new DemoInputError(
      `${file} is missing: the '${step}' step has not run in ${out} (run \`pnpm demo --steps ${step}${out === 'runs/demo' ? '' : ` --out ${out}`}\` first)`,
    );
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new DemoInputError(
      `${file} is not readable JSON (${(err as Error).message}): run the '${step}' step again`,
    );
  }
}
