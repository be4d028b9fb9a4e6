/** The shared CLI helpers: argument parsing with zod, help, and subcommand dispatch. */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { z } from 'zod';
import { OptionsError } from '../errors.js';
import { type Command, HelpRequested, parseCommandArgs, wantsHelp } from './command-args.js';
import { cliUsage, dispatchCommand } from './run-cli.js';

const USAGE = 'usage: pnpm x run <file> [--n N]';
const OPTIONS = { n: { type: 'string' }, verbose: { type: 'boolean' } } as const;
const schema = z.object({
  n: z.coerce.number().int().positive().default(5),
  verbose: z.boolean().default(false),
  _: z.array(z.string()).length(1, 'give exactly one file'),
});

describe('parseCommandArgs', () => {
  it('parses options and positionals through the schema (defaults, coercion)', () => {
    assert.deepEqual(parseCommandArgs(['a.csv', '--n', '3'], OPTIONS, schema, USAGE), {
      n: 3,
      verbose: false,
      _: ['a.csv'],
    });
  });
  it('lists every problem at once, with the usage', () => {
    assert.throws(
      () => parseCommandArgs(['--n=-2'], OPTIONS, schema, USAGE),
      (e: unknown) =>
        e instanceof OptionsError &&
        /--n: .*; arguments: give exactly one file/.test(e.message) &&
        e.message.endsWith(USAGE),
    );
  });
  it('refuses unknown flags naming them', () => {
    assert.throws(() => parseCommandArgs(['a', '--bogus'], OPTIONS, schema, USAGE), /bogus[\s\S]*usage:/);
  });
  it('throws HelpRequested carrying the usage for -h/--help', () => {
    assert.throws(
      () => parseCommandArgs(['-h'], OPTIONS, schema, USAGE),
      (e: unknown) => e instanceof HelpRequested && e.usage === USAGE,
    );
    assert.equal(wantsHelp(['a', '--help']), true);
    assert.equal(wantsHelp(['--', '--help']), false);
  });
});

describe('dispatchCommand', () => {
  const calls: string[][] = [];
  const commands: Record<string, Command> = {
    run: {
      summary: 'run a file',
      usage: USAGE,
      async run(argv) {
        calls.push(argv);
        const o = parseCommandArgs(argv, OPTIONS, schema, USAGE);
        return o.n;
      },
    },
  };

  it("runs the named command and returns its code; `<command> --help` prints the command's usage", async (t) => {
    const log = t.mock.method(console, 'log', () => {});
    assert.equal(await dispatchCommand('x', commands, ['run', 'f', '--n', '7']), 7);
    assert.equal(await dispatchCommand('x', commands, ['run', '--help']), 0);
    assert.deepEqual(calls, [['f', '--n', '7']]); // help did not run the command
    assert.equal(log.mock.calls.at(-1)?.arguments[0], USAGE);
  });
  it('prints the command table for no command (exit 2) and for --help (exit 0); unknown names exit 2', async () => {
    const log = mock.method(console, 'log', () => {});
    const err = mock.method(console, 'error', () => {});
    try {
      assert.equal(await dispatchCommand('x', commands, []), 2);
      assert.equal(await dispatchCommand('x', commands, ['--help']), 0);
      assert.equal(log.mock.calls[0]?.arguments[0], cliUsage('x', commands));
      assert.equal(await dispatchCommand('x', commands, ['nope']), 2);
      assert.match(String(err.mock.calls[0]?.arguments[0]), /unknown command 'nope'/);
    } finally {
      log.mock.restore();
      err.mock.restore();
    }
  });
});
