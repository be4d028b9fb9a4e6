/**
 * Every command of every app against a corpus of bad inputs (tests/cli-matrix/bad-inputs.ts):
 * missing paths, folders for files and files for folders, empty, truncated and mislabelled files,
 * invalid UTF-8, a 1e6-column header, unwritable and uncreatable outputs, NaN/Inf/negative and
 * non-numeric flags. Commands and their parameters are read from the apps' own help, so new ones
 * are covered without touching this file. For each case: exit 2, one line on stderr naming the
 * path or flag, no stack trace, nothing written (no partial output or temp file), the label store
 * untouched, and an answer within 30 s.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type BadValue, buildCorpus, type Corpus } from './cli-matrix/bad-inputs.js';
import { type CommandInfo, discoverCommands, type Param, type Role, run } from './cli-matrix/discover.js';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'dlpipe-matrix-'));
after(() => rmSync(work, { recursive: true, force: true }));

/**
 * What a file parameter holds, from its description, and which broken files are wrong for it: a
 * text file may be empty or look like a CSV; a table must be a well-formed table.
 */
type Content = 'table' | 'text' | 'store' | 'job' | 'images';
const KINDS: Record<Content, string[] | 'all'> = {
  table: 'all',
  text: ['missing path', 'directory for file', 'invalid UTF-8', 'truncated gzip', 'truncated PNG'],
  store: [
    'missing path',
    'directory for file',
    'zero-byte',
    'truncated SQLite',
    'wrong format behind the extension',
    'CSV behind .feather',
  ],
  job: ['missing path', 'directory for file', 'zero-byte', 'invalid UTF-8', 'truncated gzip'],
  images: [
    'missing path',
    'zero-byte',
    'truncated PNG',
    'truncated JPEG',
    'invalid UTF-8',
    'wrong format behind the extension',
  ],
};

function contentOf(p: Param): Content {
  if (/store|SQLite/i.test(p.description) || p.label === '--store') return 'store';
  if (/\bjob\b/i.test(p.description)) return 'job';
  if (/image|manifest/i.test(p.description) || /MANIFEST/.test(p.placeholder)) return 'images';
  if (/text|dictionary/i.test(p.description)) return 'text';
  return 'table';
}

/** Where the generic reading of a parameter is wrong for one command. */
const OVERRIDES: Record<string, { role?: Role; skip?: string[] }> = {
  // A folder of images is a valid input to predict.
  'vision predict <path>': { skip: ['directory for file'] },
  // A missing store is created: only unwritable places are bad.
  'label self-train --store': { role: 'outputFile' },
  // jobs lists job files; it reads the store only when there is one, so a missing one is no error.
  'scrape jobs --storage': { skip: ['uncreatable output folder'] },
  // --dataset takes a name or an idx folder; a file or missing path is bad, as for any folder.
  'vision train --dataset': { role: 'inputDir' },
};

const corpus: Corpus = await buildCorpus(join(work, 'corpus'));
const commands: CommandInfo[] = await discoverCommands(root);
const env: NodeJS.ProcessEnv = { ...process.env, DLPIPE_QUIET: '1', HOME: join(work, 'home') };
mkdirSync(join(work, 'home'), { recursive: true });
const binOf = (app: string) => commands.find((c) => c.app === app)?.bin;
const labelBin = binOf('label');
const store = join(work, 'store.sqlite');
if (labelBin) await run(labelBin, ['import', '--store', store, '--labels', corpus.good.labels], { env });
// A trained run for the commands that use one (vision predict, eval): LeNet, one epoch on 256 images.
const runs = join(work, 'runs');
const visionBin = binOf('vision');
if (visionBin) {
  await run(visionBin, ['train', '--limit', '256', '--epochs', '1', '--runs', runs, '--name', 'm'], { env });
}
// A trained detector and its set, for vision detect and val: TinySSD, one epoch on 8 banana images of 64².
const detectionSet = join(work, 'sets', 'bananas');
if (visionBin) {
  const set = ['--set', 'bananas', '--out', join(work, 'sets'), '--train-size', '8', '--val-size', '2'];
  await run(visionBin, ['generate', ...set, '--image-size', '64'], { env });
  const train = [
    '--model',
    'tinyssd',
    '--data',
    detectionSet,
    '--image-size',
    '64',
    '--epochs',
    '1',
    '--batch',
    '4',
  ];
  await run(visionBin, ['train', ...train, '--runs', runs, '--name', 'ssd'], { env });
}

/** Flags every command of an app gets, so that only the parameter under test is bad. */
function baseFlags(cmd: CommandInfo, caseDir: string): Record<string, string> {
  if (cmd.app === 'scrape')
    return { '--jobs': corpus.good.jobs, '--storage': join(caseDir, '..', 'scrape-storage') };
  if (cmd.app === 'vision' && ['predict', 'eval'].includes(cmd.name))
    return { '--runs': runs, '--name': 'm' };
  if (cmd.app === 'vision' && cmd.name === 'finetune') return { '--data': corpus.good.images };
  return {};
}

/** A valid value for a parameter that is not under test. */
function goodValue(cmd: CommandInfo, p: Param, caseDir: string, storeCopy: string): string | undefined {
  const key = `${cmd.app} ${cmd.name} ${p.label}`;
  const base = baseFlags(cmd, caseDir)[p.label];
  if (base !== undefined) return base;
  if (p.label === '--store') return storeCopy;
  if (p.label === '--labels') return corpus.good.labels;
  if (key === 'scrape run <job>') return corpus.good.job;
  if (key === 'vision predict <path>') return corpus.good.image;
  if (key === 'vision detect <path>') return corpus.good.image;
  if (cmd.app === 'vision' && ['detect', 'val'].includes(cmd.name) && p.label === '--model')
    return join(runs, 'ssd');
  if (key === 'vision val --data') return detectionSet;
  if (!p.required) return undefined;
  const role = OVERRIDES[key]?.role ?? p.role;
  if (role === 'inputFile') return corpus.good.csv;
  if (role === 'inputDir') return corpus.good.dir;
  if (role === 'outputFile') return join(caseDir, 'out.csv');
  if (role === 'outputDir') return join(caseDir, 'out');
  if (role === 'number') return '1';
  if (p.label === '<name>') return 'mnist';
  if (p.label === '<run>') return '1';
  if (p.label === '<action>') return /\((\w+)\)/.exec(p.description)?.[1] ?? 'train';
  if (/^--[\w-]*col$/.test(p.label)) return 'label';
  return p.placeholder.includes('|') ? p.placeholder.split('|')[0] : 'x';
}

interface Case {
  cmd: CommandInfo;
  param: Param;
  bad: BadValue;
}

/** The cases: the full corpus for a parameter the first time its app meets it, a sample after. */
function casesOf(all: CommandInfo[]): Case[] {
  const seen = new Set<string>();
  const cases: Case[] = [];
  let rotate = 0;
  for (const cmd of all) {
    for (const param of cmd.params) {
      const key = `${cmd.app} ${cmd.name} ${param.label}`;
      const role = OVERRIDES[key]?.role ?? param.role;
      if (role === 'other') continue;
      const first = !seen.has(`${cmd.app} ${param.label}`);
      seen.add(`${cmd.app} ${param.label}`);
      let values = corpus[role];
      if (role === 'number') {
        const pick = values[rotate++ % values.length]!;
        values = [/seed/.test(param.label) && pick.kind === 'negative' ? values[0]! : pick];
      } else if (!first) values = values.slice(0, 2);
      const kinds = role === 'inputFile' ? KINDS[contentOf(param)] : 'all';
      for (const bad of values) {
        if (kinds !== 'all' && !kinds.includes(bad.kind)) continue;
        if (!OVERRIDES[key]?.skip?.includes(bad.kind)) cases.push({ cmd, param, bad });
      }
    }
  }
  return cases;
}

/** argv with the bad value in `param` and valid values elsewhere. */
function argvOf(c: Case, caseDir: string, storeCopy: string): string[] {
  const positionals: string[] = [];
  const flags: string[] = [];
  for (const p of c.cmd.params) {
    const v = p === c.param ? c.bad.value : goodValue(c.cmd, p, caseDir, storeCopy);
    if (v === undefined) continue;
    if (p.positional) positionals.push(v);
    else if (p.placeholder) flags.push(`${p.label}=${v}`);
  }
  return [...(c.cmd.name ? [c.cmd.name] : []), ...positionals, ...flags];
}

const results: { cmd: string; kind: string; ok: boolean }[] = [];
after(() => {
  const pass = results.filter((r) => r.ok).length;
  const kinds = [...new Set(results.map((r) => r.kind))];
  const cmds = [...new Set(results.map((r) => r.cmd))];
  console.log(
    `\nCLI matrix: ${cmds.length} commands × ${kinds.length} kinds of bad input, ${pass}/${results.length} cases pass`,
  );
  for (const c of cmds) {
    const rows = results.filter((r) => r.cmd === c);
    console.log(`  ${c.padEnd(20)} ${rows.filter((r) => r.ok).length}/${rows.length}`);
  }
});

describe('every command rejects bad input with exit 2 and one clear line', { concurrency: 3 }, () => {
  let n = 0;
  for (const c of casesOf(commands)) {
    const title = `${c.cmd.app} ${c.cmd.name} ${c.param.label}: ${c.bad.kind}`;
    const id = n++;
    it(title, async () => {
      const caseDir = join(work, `case-${id}`);
      const storeDir = join(work, `store-${id}`);
      mkdirSync(caseDir, { recursive: true });
      mkdirSync(storeDir, { recursive: true });
      const storeCopy = join(storeDir, 'labels.sqlite');
      if (labelBin) copyFileSync(store, storeCopy);
      const argv = argvOf(c, caseDir, storeCopy);
      const r = await run(c.cmd.bin, argv, { cwd: caseDir, env, timeoutMs: 45_000 });
      const lines = r.stderr.split('\n').filter((l) => l.trim());
      const named = [c.param.label, c.bad.value, basename(c.bad.value)].some((s) => lines[0]?.includes(s));
      const why = `argv: ${argv.join(' ')}\nexit ${r.code}${r.timedOut ? ' (timed out)' : ''}\nstderr: ${r.stderr.slice(0, 800)}`;
      const ok =
        !r.timedOut &&
        r.code === 2 &&
        lines.length === 1 &&
        named &&
        !/\n\s+at /.test(r.stderr) &&
        readdirSync(caseDir).length === 0;
      results.push({ cmd: `${c.cmd.app} ${c.cmd.name}`.trim(), kind: c.bad.kind, ok });
      assert.ok(!r.timedOut && r.ms < 30_000, `no answer within 30 s\n${why}`);
      assert.equal(r.code, 2, why);
      assert.equal(lines.length, 1, `one line on stderr\n${why}`);
      assert.ok(lines[0]!.startsWith(`dlpipe-${c.cmd.app}`), why);
      assert.ok(named, `the line names ${c.param.label} or the path\n${why}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `no stack trace\n${why}`);
      assert.deepEqual(readdirSync(caseDir), [], `nothing written\n${why}`);
      if (labelBin) {
        assert.deepEqual(readdirSync(storeDir), ['labels.sqlite'], `the store folder is untouched\n${why}`);
        assert.ok(readFileSync(storeCopy).equals(readFileSync(store)), `the store is unchanged\n${why}`);
      }
    });
  }
});
