import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { DlpipeError, OptionsError } from '../errors.js';
import { defineCommand, HelpRequested } from './command.js';
import { fieldInfo } from './fields.js';
import { describeError, dispatchCommand, lazy } from './run-cli.js';

const head = defineCommand({
  summary: 'print the first rows of a table',
  args: { file: z.string().describe('a CSV file'), more: z.array(z.string()).describe('other files') },
  flags: {
    n: z.coerce.number().int().min(0).default(10).meta({ short: 'n', description: 'rows to print' }),
    maxPages: z.coerce.number().int().positive().optional().describe('stop after N pages'),
    optimizer: z.enum(['sgd', 'adam']).default('sgd').describe('the optimizer'),
    dtype: z.array(z.string()).default([]).meta({ placeholder: 'COL=TYPE', description: 'a column type' }),
    fresh: z.boolean().default(false).describe('start over'),
  },
  json: true,
  async run(o) {
    if (o.file === 'missing.csv') readFileSync(o.file);
    if (o.file === 'fail') throw new DlpipeError('X', 'the work failed', { exitCode: 1 });
    if (o.file === 'crash') throw new Error('boom');
    return { lines: [`${o.file} ${o.n}`], data: { file: o.file, n: o.n } };
  },
});

/** Runs fn with stdout and stderr captured. */
async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = process.stdout.write.bind(process.stdout);
  const log = console.log;
  const error = console.error;
  process.stdout.write = ((s: string) => {
    out += s;
    return true;
  }) as typeof process.stdout.write;
  console.log = (...a: unknown[]) => {
    out += `${a.join(' ')}\n`;
  };
  console.error = (...a: unknown[]) => {
    err += `${a.join(' ')}\n`;
  };
  try {
    return { code: await fn(), out, err };
  } finally {
    process.stdout.write = write;
    console.log = log;
    console.error = error;
  }
}

describe('defineCommand', () => {
  it('parses positionals, kebab-case flags, repeats, shorts and defaults into typed values', () => {
    const o = head.parse([
      'a.csv',
      'b.csv',
      '-n',
      '3',
      '--max-pages',
      '2',
      '--dtype',
      'x=int',
      '--dtype',
      'y=str',
    ]);
    assert.deepEqual(o, {
      file: 'a.csv',
      more: ['b.csv'],
      n: 3,
      maxPages: 2,
      optimizer: 'sgd',
      dtype: ['x=int', 'y=str'],
      fresh: false,
      json: false,
    });
  });

  it('names the flag and the value it received in one line', () => {
    assert.throws(() => head.parse(['a.csv', '-n', 'x']), {
      name: 'OptionsError',
      message: "--n 'x': expected a number",
    });
    assert.throws(() => head.parse(['a.csv', '--optimizer', 'foo']), /--optimizer 'foo': .*"sgd"\|"adam"/);
    assert.throws(() => head.parse([]), { message: 'missing argument <file>' });
    assert.throws(
      () => head.parse(['a', '--bogus']),
      (e: unknown) => e instanceof OptionsError,
    );
    assert.throws(() => head.parse(['a', '--help']), HelpRequested);
  });

  it('writes the help text from the fields: arguments, placeholders, choices, defaults', () => {
    const h = head.help('data', 'head');
    assert.match(h, /^usage: pnpm data head <file> \[<more>…\] \[options\]/);
    assert.match(h, /-n, --n N +rows to print \(default: 10\)/);
    assert.match(h, /--max-pages N +stop after N pages\n/);
    assert.match(h, /--optimizer sgd\|adam +the optimizer \(default: sgd\)/);
    assert.match(h, /--dtype COL=TYPE … +a column type\n/);
    assert.match(h, /--fresh +start over\n/);
    assert.match(h, /--json +print the result as JSON/);
  });

  it('refuses a field declared twice', () => {
    assert.throws(
      () =>
        defineCommand({
          summary: 's',
          args: { a: z.string() },
          flags: { a: z.string() },
          run: async () => 0,
        }),
      /declared twice/,
    );
  });

  it('reads enum choices, array elements and metadata through wrappers', () => {
    const f = fieldInfo(
      'kind',
      z
        .array(z.enum(['a', 'b']))
        .optional()
        .describe('kinds'),
    );
    assert.equal(f.flag, '--kind');
    assert.equal(f.multiple, true);
    assert.deepEqual(f.choices, ['a', 'b']);
    assert.equal(f.description, 'kinds');
  });
});

describe('dispatchCommand', () => {
  const app = { head, slow: lazy('never loaded', () => Promise.reject(new Error('loaded'))) };

  it('prints lines, or the data as JSON under --json, exit 0', async () => {
    const r = await capture(() => dispatchCommand('data', app, ['head', 'a.csv', '-n', '2']));
    assert.deepEqual([r.code, r.out], [0, 'a.csv 2\n']);
    const j = await capture(() => dispatchCommand('data', app, ['head', 'a.csv', '--json']));
    assert.deepEqual(JSON.parse(j.out), { file: 'a.csv', n: 10 });
  });

  it('gives exit 2 and one line for usage errors and missing files; 1 for failures', async () => {
    const bad = await capture(() => dispatchCommand('data', app, ['head', 'a.csv', '--n=-1']));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^dlpipe-data head: --n '-1': .*\(pnpm data head --help\)\n$/);
    const missing = await capture(() => dispatchCommand('data', app, ['head', 'missing.csv']));
    assert.deepEqual(
      [missing.code, missing.err],
      [2, 'dlpipe-data head: missing.csv: no such file or directory (pnpm data head --help)\n'],
    );
    const fail = await capture(() => dispatchCommand('data', app, ['head', 'fail']));
    assert.deepEqual([fail.code, fail.err], [1, 'dlpipe-data head: the work failed\n']);
    const crash = await capture(() => dispatchCommand('data', app, ['head', 'crash']));
    assert.deepEqual([crash.code, crash.err], [1, 'dlpipe-data head: boom\n']);
    const unknown = await capture(() => dispatchCommand('data', app, ['nope']));
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command 'nope' \(commands: head, slow\)/);
  });

  it('answers the command table without loading lazy commands', async () => {
    const r = await capture(() => dispatchCommand('data', app, ['--help']));
    assert.equal(r.code, 0);
    assert.match(r.out, /head +print the first rows of a table\n +slow +never loaded/);
    const none = await capture(() => dispatchCommand('data', app, []));
    assert.equal(none.code, 2);
  });

  it('runs a single-command app without a command word', async () => {
    const r = await capture(() => dispatchCommand('demo', head, ['a.csv', '-n', '1']));
    assert.deepEqual([r.code, r.out], [0, 'a.csv 1\n']);
    const h = await capture(() => dispatchCommand('demo', head, ['--help']));
    assert.match(h.out, /^usage: pnpm demo <file>/);
    const bad = await capture(() => dispatchCommand('demo', head, ['a', '-n', 'x']));
    assert.match(bad.err, /^dlpipe-demo: --n 'x': expected a number \(pnpm demo --help\)\n$/);
  });

  it('exits 130 when the run was interrupted', async () => {
    const c = new AbortController();
    const stoppable = defineCommand({
      summary: 's',
      interruptible: true,
      async run(_o, ctx) {
        c.abort();
        return ctx.signal.aborted ? { lines: ['stopped cleanly'] } : 0;
      },
    });
    const r = await capture(() => dispatchCommand('x', { s: stoppable }, ['s'], { signal: c.signal }));
    assert.deepEqual([r.code, r.out], [130, 'stopped cleanly\n']);
  });
});

describe('describeError', () => {
  it('maps typed errors, fs errors and zod errors to bad input (2), the rest to failure (1)', () => {
    assert.equal(describeError(new OptionsError('x')).exitCode, 2);
    const zodErr = z.object({ a: z.number() }).safeParse({ a: 'x' }).error;
    assert.deepEqual(describeError(zodErr), {
      line: 'a: Invalid input: expected number, received string',
      exitCode: 2,
    });
    assert.equal(describeError(new RangeError('r')).exitCode, 1);
  });
});

describe('flag names', () => {
  it('keeps a leading capital (scikit-learn --C) and takes an explicit name from .meta({ flag })', () => {
    const c = defineCommand({
      summary: 's',
      flags: {
        C: z.coerce.number().default(1).describe('inverse regularization'),
        kBest: z.coerce.number().optional(),
        x: z.string().optional().meta({ flag: 'ex-why' }),
      },
      run: async () => 0,
    });
    assert.deepEqual(c.parse(['--C', '0.5', '--k-best', '3', '--ex-why', 'y']), {
      C: 0.5,
      kBest: 3,
      x: 'y',
      json: false,
    });
    assert.match(c.help('x', 's'), /--C N +inverse regularization \(default: 1\)/);
  });

  it('says "required" for a missing required flag', () => {
    const c = defineCommand({ summary: 's', flags: { store: z.string() }, run: async () => 0 });
    assert.throws(() => c.parse([]), { message: '--store: required (expected string)' });
  });
});
