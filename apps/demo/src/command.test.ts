/** `pnpm demo`'s flags, help and errors, without running a step. */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { dispatchCommand, HelpRequested, OptionsError } from '@dlpipe/core';
import { demo } from './command.js';

/** Runs `pnpm demo <argv>` in-process; what it printed and its exit code. */
async function dispatch(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = mock.method(console, 'log', (s: string) => out.push(s));
  const error = mock.method(console, 'error', (s: string) => err.push(s));
  try {
    return { code: await dispatchCommand('demo', demo, argv), out, err };
  } finally {
    log.mock.restore();
    error.mock.restore();
  }
}

describe('pnpm demo', () => {
  it('parses the flags: defaults, a comma list of steps, kebab-case flags', () => {
    const d = demo.parse([]);
    assert.deepEqual(d.steps, ['crawl', 'label', 'train', 'report']);
    assert.deepEqual(
      [d.out, d.seed, d.products, d.features, d.compareFeatures, d.threshold, d.model, d.trainSteps, d.lr],
      ['runs/demo', 42, 1500, 'pixels', false, 0.9, 'lenet-bn', 600, 0.01],
    );
    const o = demo.parse(['--steps', 'label, train', '--train-steps', '100', '--compare-features', '-v']);
    assert.deepEqual(o.steps, ['label', 'train']);
    assert.deepEqual([o.trainSteps, o.compareFeatures, o.verbose], [100, true, true]);
  });

  it('rejects bad values with the flag and what was typed', () => {
    assert.throws(
      () => demo.parse(['--products', 'zero']),
      (e) => e instanceof OptionsError && /--products 'zero'/.test(e.message),
    );
    assert.throws(
      () => demo.parse(['--steps', 'crawl,foo']),
      /--steps 'crawl,foo': .*"crawl"\|"label"\|"train"\|"report"/,
    );
    assert.throws(() => demo.parse(['--model', 'resnet']), /--model 'resnet'/);
    assert.throws(() => demo.parse(['--steps', '']), OptionsError);
    assert.throws(() => demo.parse(['--help']), HelpRequested);
  });

  it('--help is generated from the flags, with no command word in the synopsis', async () => {
    const r = await dispatch(['--help']);
    assert.equal(r.code, 0);
    assert.deepEqual(r.err, []);
    const help = r.out.join('\n');
    assert.equal(help, demo.help('demo', ''));
    assert.match(help, /^usage: pnpm demo \[options\]\n/);
    assert.match(help, /--features pixels\|mobilenetv2\n +\S/);
    for (const flag of ['steps', 'out', 'seed', 'products', 'threshold', 'model', 'train-steps', 'lr']) {
      assert.match(help, new RegExp(`--${flag} \\S+ +\\S`), flag);
    }
    assert.match(help, /--compare-features +\S/);
    assert.match(help, /-v, --verbose/);
    assert.match(help, /--steps LIST .*\(default: crawl,label,train,report\)/);
  });

  it('bad usage is one line on stderr with the fix, exit 2', async () => {
    for (const argv of [['--products', 'zero'], ['--bogus'], ['train'], ['--steps', 'crawl,foo']]) {
      const r = await dispatch(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.deepEqual(r.out, []);
      assert.equal(r.err.length, 1, r.err.join('\n'));
      assert.match(r.err[0]!, /^dlpipe-demo: [^\n]+ \(pnpm demo --help\)$/);
    }
    const r = await dispatch(['--bogus']);
    assert.equal(r.err[0], "dlpipe-demo: Unknown option '--bogus' (pnpm demo --help)");
  });
});
