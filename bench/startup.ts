/**
 * `pnpm bench startup` — CLI start-up from the JS build (`pnpm build`) vs the TypeScript sources
 * through tsx: the median wall time of `pnpm <app> --help` and `node apps/<app>/bin/… --help`
 * for each app, and of commands that load TensorFlow.js (`vision train --help`, `vision models`),
 * against the goal of ≤ 0.5 s for `pnpm <app> --help` (issue #17). `node -e 0` and `pnpm exec node -e 0` rows
 * show what Node and pnpm cost alone on this machine. Apps whose build is missing or stale are
 * built first (and measured again if a source changes during their runs, since the bin then runs
 * tsx). Runs of each row alternate built/tsx so load from other processes hits both.
 *
 *   pnpm bench startup                  pnpm bench startup --runs 9 --apps vision,nlp --json
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './lib/measure.js';
import { REPO_ROOT } from './lib/worker.js';

const USAGE = 'usage: pnpm bench startup [--runs 5] [--apps data,scrape,…] [--no-pnpm] [--json]';
const GOAL_S = 0.5;
/**
 * Commands that load TensorFlow.js: `train --help` loads the train command's chunk (tfjs, the
 * engine) and answers; `models` also builds every zoo model to count its parameters.
 */
const TFJS_COMMANDS = [
  { app: 'vision', args: ['train', '--help'] },
  { app: 'vision', args: ['models'] },
];

interface BuildModule {
  APPS: string[];
  buildApp(app: string): Promise<{ chunks: number; inputs: number }>;
}
interface LauncherModule {
  checkBuild(distDir: string): { fresh: boolean; why: string };
}

/** One line of the table: the same command from the build and from the sources. */
export interface StartupRow {
  label: string;
  /** Median seconds from the build (undefined: not measured). */
  built?: number;
  /** Median seconds through tsx. */
  tsx?: number;
  /** Whether the goal applies to this row (`pnpm <app> --help`). */
  goal: boolean;
}

interface StartupOptions {
  runs: number;
  apps: string[];
  pnpm: boolean;
  json: boolean;
}

/** Seconds one command takes, or an error naming it when it fails. */
function timeCommand(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(command, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    const why = r.error?.message ?? `exit ${r.status}: ${String(r.stderr).trim().split('\n')[0]}`;
    throw new Error(`bench startup: \`${command} ${args.join(' ')}\` failed (${why})`);
  }
  return s;
}

/** Median seconds of each variant, runs interleaved (a, b, a, b, …). */
function measure(variants: Array<[string, string[], NodeJS.ProcessEnv]>, runs: number): number[] {
  const times: number[][] = variants.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [v, [cmd, args, env]] of variants.entries()) times[v]?.push(timeCommand(cmd, args, env));
  }
  return times.map((t) => median(t));
}

/** Rows for one command: `pnpm <app> …` and `node <bin> …`, each built and through tsx. */
function commandRows(app: string, args: string[], o: StartupOptions): StartupRow[] {
  const env = { ...process.env, DLPIPE_TEST: '', DLPIPE_DEV: '' };
  const dev = { ...env, DLPIPE_DEV: '1' };
  const bin = join('apps', app, 'bin', `dlpipe-${app}.mjs`);
  const rows: StartupRow[] = [];
  const shown = args.join(' ');
  if (o.pnpm) {
    const [built, tsx] = measure(
      [
        ['pnpm', [app, ...args], env],
        ['pnpm', [app, ...args], dev],
      ],
      o.runs,
    );
    rows.push({ label: `pnpm ${app} ${shown}`, built, tsx, goal: shown === '--help' });
  }
  const [built, tsx] = measure(
    [
      [process.execPath, [bin, ...args], env],
      [process.execPath, [bin, ...args], dev],
    ],
    o.runs,
  );
  rows.push({ label: `node ${bin} ${shown}`, built, tsx, goal: false });
  return rows;
}

function parse(argv: string[], apps: string[]): StartupOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string', default: '5' },
      apps: { type: 'string', default: apps.join(',') },
      'no-pnpm': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return 'help';
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs: expected a whole number ≥ 1, got '${values.runs}'`);
  const chosen = values.apps.split(',').filter(Boolean);
  const unknown = chosen.filter((a) => !apps.includes(a));
  if (unknown.length)
    throw new Error(`--apps: unknown ${unknown.join(', ')}; expected some of ${apps.join(', ')}`);
  return { runs, apps: chosen, pnpm: !values['no-pnpm'], json: values.json };
}

function formatTable(rows: StartupRow[], runs: number): string {
  const s = (x: number | undefined) => (x === undefined ? '—' : `${x.toFixed(2)} s`);
  const width = Math.max(...rows.map((r) => r.label.length));
  const lines = [
    `start-up, median of ${runs} runs (goal: pnpm <app> --help ≤ ${GOAL_S} s from the build)`,
    `${'command'.padEnd(width)}   built      tsx   tsx/built  goal`,
  ];
  for (const r of rows) {
    const ratio = r.built && r.tsx ? `${(r.tsx / r.built).toFixed(1)}×` : '';
    const goal = r.goal && r.built !== undefined ? (r.built <= GOAL_S ? 'met' : 'MISSED') : '';
    lines.push(
      `${r.label.padEnd(width)}  ${s(r.built).padStart(6)}  ${s(r.tsx).padStart(7)}  ${ratio.padStart(9)}  ${goal}`,
    );
  }
  return lines.join('\n');
}

/**
 * Measures `measure()` with app's build current: builds it first where stale, and measures again
 * (twice at most) when a source changes during the runs, since the bin then runs tsx.
 */
async function withCurrentBuild<T>(app: string, tools: Tools, measure: () => T): Promise<T> {
  const dist = join(REPO_ROOT, 'apps', app, 'dist');
  for (let attempt = 1; ; attempt++) {
    const before = tools.launcher.checkBuild(dist);
    if (!before.fresh) {
      process.stderr.write(`building ${app} (${before.why})\n`);
      await tools.build.buildApp(app);
    }
    const result = measure();
    const after = tools.launcher.checkBuild(dist);
    if (after.fresh || attempt === 3) {
      if (!after.fresh)
        process.stderr.write(`warning: ${app}'s build went stale during the runs (${after.why})\n`);
      return result;
    }
    process.stderr.write(`${app}: ${after.why} during the runs; measuring again\n`);
  }
}

interface Tools {
  build: BuildModule;
  launcher: LauncherModule;
}

export async function main(argv: string[]): Promise<number> {
  const tools: Tools = {
    build: (await import(join(REPO_ROOT, 'scripts/build.mjs'))) as BuildModule,
    launcher: (await import(join(REPO_ROOT, 'scripts/cli-launcher.mjs'))) as LauncherModule,
  };
  const o = parse(argv, tools.build.APPS);
  if (o === 'help') {
    console.log(USAGE);
    return 0;
  }
  const env = { ...process.env };
  const baseline = measure(
    [
      [process.execPath, ['-e', '0'], env],
      ['pnpm', ['exec', 'node', '-e', '0'], env],
    ],
    o.runs,
  );
  const rows: StartupRow[] = [{ label: 'node -e 0', built: baseline[0], goal: false }];
  if (o.pnpm) rows.push({ label: 'pnpm exec node -e 0', built: baseline[1], goal: false });
  const commands = [...o.apps.map((app) => ({ app, args: ['--help'] })), ...TFJS_COMMANDS];
  for (const { app, args } of commands) {
    process.stderr.write(`measuring ${app} ${args.join(' ')}\n`);
    rows.push(...(await withCurrentBuild(app, tools, () => commandRows(app, args, o))));
  }
  console.log(
    o.json ? JSON.stringify({ runs: o.runs, goalS: GOAL_S, rows }, null, 2) : formatTable(rows, o.runs),
  );
  return 0;
}
